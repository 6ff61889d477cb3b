// Throwing functions, do/catch, catch patterns and `let` bindings.
// (Shoal throws any value; a Swift program throws a type that conforms to Error.)
func weigh(_ grams: Int) throws -> Double {
    if grams < 0 { throw "negative weight" }
    if grams == 0 { throw 0 }
    return Double(grams) / 1000
}
do {
    let kg = try weigh(1500)
    print("weighs \(kg) kg")  // expect: weighs 1.5 kg
    _ = try weigh(-3)
    print("not reached")
} catch {
    print("caught: \(error)")  // expect: caught: negative weight
}
do {
    _ = try weigh(0)
} catch "negative weight" {
    print("negative")
} catch let code {
    print("code \(code)")  // expect: code 0
}
