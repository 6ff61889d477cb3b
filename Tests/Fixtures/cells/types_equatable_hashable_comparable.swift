struct Catch: Hashable, Comparable, CustomStringConvertible {
    var species: String
    var length: Int
    var description: String { "\(species) (\(length) cm)" }
    static func < (a: Catch, b: Catch) -> Bool { a.length < b.length }
}
let day = [Catch(species: "pike", length: 70), Catch(species: "perch", length: 25), Catch(species: "pike", length: 70)]
print(day[0] == day[2], day[0] == day[1])  // expect: true false
print(day.sorted())  // expect: [perch (25 cm), pike (70 cm), pike (70 cm)]
print(day.max()!)  // expect: pike (70 cm)
var counts: [Catch: Int] = [:]
for c in day { counts[c, default: 0] += 1 }
print(counts[Catch(species: "pike", length: 70)]!)  // expect: 2
print("best: \(day.max()!)")  // expect: best: pike (70 cm)
enum Grade: Comparable { case low, mid, high }
print(Grade.low < .high, [Grade.high, .low, .mid].sorted())  // expect: true [Grade.low, Grade.mid, Grade.high]
