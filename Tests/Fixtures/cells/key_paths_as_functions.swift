// A key path passed where a function is expected reads the members, as
// Swift's key-path expressions as functions do; String(describing:).
struct Tag { var code: Int }
struct Fish { var name: String; var length: Double; var tag: Tag }
let catch_ = [Fish(name: "trout", length: 35, tag: Tag(code: 2)), Fish(name: "perch", length: 21.5, tag: Tag(code: 1))]
print(catch_.map(\.name))  // expect: ["trout", "perch"]
print(catch_.map(\Fish.tag.code), catch_.map(\.length).reduce(0, +))  // expect: [2, 1] 56.5
print(catch_.sorted { $0.length < $1.length }.map(\.name))  // expect: ["perch", "trout"]
let ages: [Int?] = [3, nil]
print(String(describing: ages), String(describing: 2.5))  // expect: [Optional(3), nil] 2.5
// %%
print(catch_.map(\.weight))  // expect error: TypeError: value of type 'Fish' has no member 'weight'
// %%
print(catch_.map(\.name.first?.isUppercase))  // expect error: UnsupportedSyntax: key paths with subscripts or optional chaining are not supported in Shoal cells; use a closure such as { $0.count }
