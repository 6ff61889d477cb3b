// Sets keep one of each element; Shoal keeps them in the order first inserted.
var species: Set<String> = ["perch", "bass", "perch", "trout"]
print(species.count)  // expect: 3
print(species)  // expect: ["perch", "bass", "trout"]
print(species.contains("bass"), species.contains("pike"))  // expect: true false
let added = species.insert("pike")
print(added.inserted)  // expect: true
print(species.insert("perch").inserted)  // expect: false
print(species.remove("bass") ?? "none")  // expect: bass
print(species.remove("carp") == nil)  // expect: true
print(species.isEmpty, Set<Int>().isEmpty)  // expect: false true
print(species.sorted())  // expect: ["perch", "pike", "trout"]
for s in species { print(s) }
// expect: perch
// expect: trout
// expect: pike
species
// expect: Set(["perch", "trout", "pike"])
