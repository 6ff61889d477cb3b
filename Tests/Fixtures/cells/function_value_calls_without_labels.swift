// A function called through a value (a variable, a parameter, a returned
// function) takes its arguments without labels, as in Swift; by its own name
// it still needs them.
func makeIncrementer() -> ((Int) -> Int) {
    func addOne(number: Int) -> Int {
        return 1 + number
    }
    return addOne
}
var increment = makeIncrementer()
print(increment(7))  // expect: 8
print(makeIncrementer()(41))  // expect: 42
func hasAnyMatches(list: [Int], condition: (Int) -> Bool) -> Bool {
    for item in list {
        if condition(item) {
            return true
        }
    }
    return false
}
func lessThanTen(number: Int) -> Bool {
    return number < 10
}
print(hasAnyMatches(list: [20, 19, 7, 12], condition: lessThanTen))  // expect: true
let isSmall = lessThanTen
print(isSmall(3), isSmall(30))  // expect: true false
func area(width: Double, height: Double) -> Double { width * height }
let measures: [(Double, Double) -> Double] = [area]
print(measures[0](2, 3))  // expect: 6.0
// %%
func twice(value: Int) -> Int { value * 2 }
twice(4)  // expect error: TypeError: missing argument label 'value:' in call
