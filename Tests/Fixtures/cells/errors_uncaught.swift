func load(_ name: String) throws -> String {
    if name.isEmpty { throw "no name given" }  // expect error: UncaughtError: the error "no name given" was thrown and not caught
    return "loaded \(name)"
}
print(try load("perch"))  // expect: loaded perch
print(try load(""))
// %%
// Only thrown errors are caught: a run-time error still stops the cell.
do {
    let xs = [1, 2]
    print(xs[5])  // expect error: IndexError: index 5 is out of range for an array of 2 elements (valid indices are 0..<2)
} catch {
    print("not caught here")
}
