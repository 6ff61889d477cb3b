let xs = [5, 3, 9, 1]
print(xs.sorted())  // expect: [1, 3, 5, 9]
print(xs.sorted(by: >))  // expect: [9, 5, 3, 1]
print(xs.sorted { $0 > $1 })  // expect: [9, 5, 3, 1]
var ys = xs
ys.sort()
print(ys)  // expect: [1, 3, 5, 9]
