// A function compiled while `Cage` had one declaration constructs the type
// the name has when it runs: a later cell's redeclaration is found (the
// compiled construction remembers the type only while no type changed).
struct Cage { var size: Int }
func makeCage() -> Any { Cage(size: 2) }
func cages(_ n: Int) -> [Any] {
    var out: [Any] = []
    for i in 0..<n { out.append(Cage(size: i)) }
    return out
}
print(makeCage(), cages(2))  // expect: Cage(size: 2) [Cage(size: 0), Cage(size: 1)]
// %%
struct Cage { var size: Int; var label: String = "new" }
print(makeCage(), cages(2))  // expect: Cage(size: 2, label: "new") [Cage(size: 0, label: "new"), Cage(size: 1, label: "new")]
// %%
struct Tank { var litres: Int }
print(makeCage(), cages(1))  // expect: Cage(size: 2, label: "new") [Cage(size: 0, label: "new")]
// %%
struct Cage { var size: Double }
print(makeCage())  // expect: Cage(size: 2.0)
