class Tank {
    var litres: Double
    var fish: [String] = []
    init(litres: Double) { self.litres = litres }
    func add(_ name: String) { fish.append(name) }
}
let home = Tank(litres: 60)
let same = home
same.add("guppy")
same.litres = 80
print(home.fish, home.litres)  // expect: ["guppy"] 80.0
print(home === same, home !== Tank(litres: 60))  // expect: true true
var tanks = [home, home]
tanks[0].add("tetra")
print(home.fish.count)  // expect: 2
print(home)  // expect: Tank
