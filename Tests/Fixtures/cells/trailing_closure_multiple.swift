// Several trailing closures: the first without a label, the others with theirs.
func measure(_ length: Double, ifLong: (Double) -> String, otherwise: (Double) -> String) -> String {
    length > 30 ? ifLong(length) : otherwise(length)
}
let a = measure(42) { "long \($0)" } otherwise: { "short \($0)" }
print(a)  // expect: long 42.0
print(measure(12) { _ in "long" } otherwise: { _ in "short" })  // expect: short
func twice(times: Int = 2, _ body: () -> Void) {
    for _ in 0..<times { body() }
}
twice { print("swim") }  // expect: swim
// expect: swim
let total = [1, 2, 3].reduce(0) { $0 + $1 }
print(total)  // expect: 6
// Sorting is stable, as in Swift: trout stays before perch (both five letters).
let fish = ["trout", "bass", "perch"].sorted { $0.count < $1.count }
print(fish)  // expect: ["bass", "trout", "perch"]
