// Array's initializers written with the element type, and a `repeating:`
// literal typed by the elements it fills, as in Swift.
var histogram = [Int](repeating: 0, count: 4)
histogram[2] += 1
print(histogram)  // expect: [0, 0, 1, 0]
let zeros = [Double](repeating: 0, count: 3)
print(zeros)  // expect: [0.0, 0.0, 0.0]
let grid: [[Double]] = Array(repeating: Array(repeating: 0, count: 2), count: 2)
print(grid)  // expect: [[0.0, 0.0], [0.0, 0.0]]
let ones: [Double] = Array(repeating: 1, count: 2)
print(ones)  // expect: [1.0, 1.0]
let nested = [[Int]](repeating: [Int](repeating: 7, count: 2), count: 2)
print(nested)  // expect: [[7, 7], [7, 7]]
let counted = Array<Int>(1...3)
print(counted)  // expect: [1, 2, 3]
let names = [String](repeating: "cod", count: 2)
print(names)  // expect: ["cod", "cod"]
