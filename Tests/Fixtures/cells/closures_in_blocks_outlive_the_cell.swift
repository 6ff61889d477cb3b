// A closure defined inside a block of a cell (an `if`, a loop's body) keeps
// reading that block's locals in later cells; a cell without one gives its
// blocks' locals back when it ends.
var handler: () -> Int = { 0 }
if true { let g = 5; handler = { g * 2 } }
var hs: [() -> Int] = []
for i in 0..<3 { let sq = i * i; hs.append({ sq + i }) }
func later() -> Int { handler() }
// %%
print(handler(), hs.map { $0() }, later())  // expect: 10 [0, 2, 6] 10
// %%
struct Fish { var length: Double }
var total = 0.0
for f in [Fish(length: 1.5), Fish(length: 2)] { let l = f.length; total += l }
print(total)  // expect: 3.5
// %%
print(handler(), total)  // expect: 10 3.5
