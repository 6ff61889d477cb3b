// An error inside a type's own `==` stops contains, firstIndex(of:), sets, dictionary keys and `==` on arrays
// with that error, as in Swift, rather than counting as "not equal".
func same(_ a: Int, _ b: Int) -> Bool { [0, 1][a] == [0, 1][b] }  // expect error: IndexError: index 4 is out of range for an array of 2 elements (valid indices are 0..<2)
struct Tag: Hashable {
    let id: Int
    static func == (a: Tag, b: Tag) -> Bool { same(a.id, b.id) }
}
print([Tag(id: 0), Tag(id: 1)].contains(Tag(id: 1)))  // expect: true
print([Tag(id: 0), Tag(id: 1)].firstIndex(of: Tag(id: 4)) as Any)
print("not reached")
// %%
func same(_ a: Int, _ b: Int) -> Bool { [0, 1][a] == [0, 1][b] }  // expect error: IndexError: index 5 is out of range for an array of 2 elements (valid indices are 0..<2)
print([Tag(id: 0)] == [Tag(id: 0)])  // expect: true
print([Tag(id: 0)] == [Tag(id: 5)])
// %%
func same(_ a: Int, _ b: Int) -> Bool { [0, 1][a] == [0, 1][b] }  // expect error: IndexError: index 6 is out of range for an array of 2 elements (valid indices are 0..<2)
var seen: Set<Tag> = [Tag(id: 0)]
print(seen.contains(Tag(id: 0)))  // expect: true
seen.insert(Tag(id: 6))
// %%
func same(_ a: Int, _ b: Int) -> Bool { [0, 1][a] == [0, 1][b] }  // expect error: IndexError: index 7 is out of range for an array of 2 elements (valid indices are 0..<2)
let byTag = [Tag(id: 1): "eel"]
print(byTag[Tag(id: 1)]!)  // expect: eel
print(byTag[Tag(id: 7)] as Any)
// %%
func same(_ a: Int, _ b: Int) -> Bool { [0, 1][a] == [0, 1][b] }  // expect error: IndexError: index 8 is out of range for an array of 2 elements (valid indices are 0..<2)
var counts = [Tag(id: 0): 1]
counts[Tag(id: 8), default: 0] += 1
// %%
func same(_ a: Int, _ b: Int) -> Bool { [0, 1][a] == [0, 1][b] }  // expect error: IndexError: index 9 is out of range for an array of 2 elements (valid indices are 0..<2)
print(Tag(id: 1) != Tag(id: 9))
