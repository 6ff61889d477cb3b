// An enum's associated values are copies: changing the variable they came
// from, or a value bound out of them, leaves the case as it was.
struct Box {
    var items: [Int]
}
enum Shelf {
    case empty
    case one(Box)
    case pair(Box, Box)
}
var box = Box(items: [1, 2])
let shelf = Shelf.one(box)
box.items.append(3)
box.items[0] = 10
func firstItems(_ s: Shelf) -> [Int] {
    switch s {
    case .empty: return []
    case let .one(b):
        var c = b
        c.items[0] += 100
        return c.items
    case let .pair(a, b): return a.items + b.items
    }
}
print(firstItems(shelf))  // expect: [101, 2]
print(firstItems(shelf), box.items)  // expect: [101, 2] [10, 2, 3]
let twice = Shelf.pair(box, box)
box.items = []
print(firstItems(twice), box.items)  // expect: [10, 2, 3, 10, 2, 3] []
if case let .one(b) = shelf { print(b.items) }  // expect: [1, 2]
