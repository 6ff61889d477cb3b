let caught: Set = [1, 2, 3, 4]
let released = Set([3, 4, 5])
print(caught.union(released))  // expect: [1, 2, 3, 4, 5]
print(caught.intersection(released))  // expect: [3, 4]
print(caught.subtracting(released))  // expect: [1, 2]
print(caught.symmetricDifference(released))  // expect: [1, 2, 5]
print(Set([1, 2]).isSubset(of: caught), caught.isSuperset(of: [1, 9]))  // expect: true false
print(caught.isDisjoint(with: [7, 8]))  // expect: true
print(Set([2, 1]) == Set([1, 2]))  // expect: true
var seen = Set<String>()
for name in ["a", "b", "a", "c", "b"] { seen.insert(name) }
print(seen.count, "\(seen)")  // expect: 3 ["a", "b", "c"]
var copy = seen
copy.insert("z")
print(seen.count, copy.count)  // expect: 3 4
print(Set("banana").sorted())  // expect: ["a", "b", "n"]
print(caught.filter { $0 % 2 == 0 })  // expect: [2, 4]
print(caught.map { $0 * 10 })  // expect: [10, 20, 30, 40]
print(type(of: caught))  // expect: Set<Int>
let s: Set<Int> = ["x"]  // expect error: TypeError: cannot convert value of type '[String]' to specified type 'Set<Int>'
