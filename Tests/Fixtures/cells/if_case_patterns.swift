// `if case`, `guard case` and `case` conditions beside others: a pattern tested against one value, binding its names.
enum Catch { case measured(Double, Double), released }
let fish = Catch.measured(31.5, 420)
if case let .measured(length, weight) = fish { print("measured", length, weight) }  // expect: measured 31.5 420.0
if case .released = fish { print("released") } else { print("not released") }  // expect: not released
// %%
let maybe: Int? = 4
if case .some(let x) = maybe, x > 3 { print("some", x) }  // expect: some 4
if case let y? = maybe { print("y", y) }  // expect: y 4
let n = 7
if case 1...9 = n { print("one digit") }  // expect: one digit
// %%
func lengthOf(_ c: Catch) -> String {
    guard case let .measured(l, _) = c else { return "no length" }
    return "length \(l)"
}
print(lengthOf(fish), lengthOf(.released))  // expect: length 31.5 no length
// %%
func totalLength(_ catches: [Catch]) -> Double {
    var total = 0.0
    for c in catches { if case .measured(let l, _) = c { total += l } }
    return total
}
print(totalLength([.measured(10, 1), .released, .measured(20, 2)]))  // expect: 30.0
// %%
if case .measured(let l, _) = fish, l > 100 { print("huge") } else { print("ordinary") }  // expect: ordinary
// %%
print(l)  // expect error: NameError: cannot find 'l' in scope; did you mean 'n'?
