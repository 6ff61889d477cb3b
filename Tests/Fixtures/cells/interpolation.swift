let species = "clownfish"
let n = 12
print("\(n) photos of \(species)")  // expect: 12 photos of clownfish
print("sum: \(1 + 2)")  // expect: sum: 3
