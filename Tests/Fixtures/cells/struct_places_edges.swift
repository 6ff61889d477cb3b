// Changes through places that pass a computed property, a class instance,
// a dictionary or a 'let' property on the way.
final class Counter {
    var count = 0
}
struct Rect {
    var width: Double
    var height: Double
    var area: Double {
        get { width * height }
        set { width = newValue / height }
    }
}
struct Panel {
    let id: Int
    var frame: Rect
    var counter: Counter
    var tally: [String: Int] = [:]
    mutating func grow() { frame.area += 10 }
    func label() -> String { "panel \(id)" }
}
var shared = Counter()
var panels = [Panel(id: 1, frame: Rect(width: 2, height: 5), counter: shared)]
panels.append(panels[0])
panels[1].frame.area *= 2
panels[0].grow()
print(panels[0].frame.width, panels[1].frame.width)  // expect: 4.0 4.0
panels[0].counter.count += 1
panels[1].counter.count += 1
print(shared.count, panels[0].counter === panels[1].counter)  // expect: 2 true
for word in ["a", "b", "a"] { panels[1].tally[word, default: 0] += 1 }
print(panels[1].tally, panels[0].tally)  // expect: ["a": 2, "b": 1] [:]
print(panels[1].label())  // expect: panel 1
func relabel(_ ps: [Panel]) -> [Panel] {
    var out = ps
    out[0].frame.height += 1
    out[0].tally["z"] = 26
    return out
}
let changed = relabel(panels)
print(changed[0].frame.height, panels[0].frame.height, changed[0].tally)  // expect: 6.0 5.0 ["z": 26]
func renumber() {
    panels[0].frame.width = 1
    panels[0].id = 7  // expect error: TypeError: cannot assign to property: 'id' is a 'let' constant
}
renumber()
