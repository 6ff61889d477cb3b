let names = ["perch", "bass", "trout", "pike"]
print(names.min { $0.count < $1.count }!)  // expect: bass
print(names.max(by: { $0.count < $1.count })!)  // expect: perch
let catches = [(name: "perch", length: 21.5), (name: "bass", length: 38.0), (name: "trout", length: 30.2)]
if let longest = catches.max(by: { $0.length < $1.length }) {
    print(longest.name)  // expect: bass
}
print([Int]().min { $0 < $1 } == nil)  // expect: true
print((1...10).max { $0 % 7 < $1 % 7 }!)  // expect: 6
print(names.min { $0.count + $1.count })  // expect error: TypeError: the comparison closure must return a Bool, not 'Int'
