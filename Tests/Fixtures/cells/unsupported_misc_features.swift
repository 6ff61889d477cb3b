subscript(i: Int) -> Int { i }  // expect error: UnsupportedSyntax: subscript declarations are not supported in Shoal cells
// %%
prefix operator √  // expect error: UnsupportedSyntax: custom operators are not supported in Shoal cells; write a function
// %%
#warning("check this")  // expect error: UnsupportedSyntax: macros are not supported in Shoal cells
// %%
let pattern = /fish+/  // expect error: UnsupportedSyntax: regex literals are not supported in Shoal cells
// %%
weak var owner: AnyObject?  // expect error: UnsupportedSyntax: 'weak' references are not supported in Shoal cells; write a plain 'var'
// %%
if #available(macOS 14, *) { print("new") }  // expect error: UnsupportedSyntax: availability conditions are not supported in Shoal cells
// %%
let add = { (x: inout Int) in x += 1 }  // expect error: UnsupportedSyntax: inout closure parameters are not supported in Shoal cells; leave out the closure's types, as in { $0 += $1 }
// %%
func load() throws(LoadError) {}  // expect error: UnsupportedSyntax: typed throws are not supported in Shoal cells; write just 'throws'
