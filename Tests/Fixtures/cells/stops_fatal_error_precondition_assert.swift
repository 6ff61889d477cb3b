// fatalError, precondition and assert stop the cell with a FatalError and
// the message as Swift prints it; the notebook goes on with the next cell.
func mean(_ xs: [Double]) -> Double {
    precondition(!xs.isEmpty, "mean of no values")
    return xs.reduce(0, +) / Double(xs.count)
}
print(mean([1, 2, 3]))  // expect: 2.0
assert(mean([4]) == 4)
precondition(true)
print("still here")  // expect: still here
// %%
let scores: [Double] = []
precondition(!scores.isEmpty, "no scores yet")  // expect error: FatalError: Precondition failed: no scores yet
// %%
let species = "eel"
switch species {
case "cod", "trout": print("known")
default: fatalError("unknown species \(species)")  // expect error: FatalError: Fatal error: unknown species eel
}
// %%
assert(1 + 1 == 3, "arithmetic")  // expect error: FatalError: Assertion failed: arithmetic
// %%
fatalError()  // expect error: FatalError: Fatal error
// %%
preconditionFailure()  // expect error: FatalError: Precondition failed
// %%
print("the kernel goes on")  // expect: the kernel goes on
