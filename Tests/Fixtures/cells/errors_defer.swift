func visit(_ pond: String) -> String {
    print("arrive at \(pond)")
    defer { print("leave \(pond)") }
    defer { print("pack up") }
    if pond.isEmpty { return "nowhere" }
    return "fished \(pond)"
}
print(visit("north pond"))
// expect: arrive at north pond
// expect: pack up
// expect: leave north pond
// expect: fished north pond
for i in 1...2 {
    defer { print("end of round \(i)") }
    print("round \(i)")
}
// expect: round 1
// expect: end of round 1
// expect: round 2
// expect: end of round 2
func risky() throws {
    defer { print("cleaned up") }
    throw "failed"
}
do { try risky() } catch { print(error) }
// expect: cleaned up
// expect: failed
