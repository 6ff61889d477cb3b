// A call to a throwing function needs `try`; without it the cell is refused before anything runs.
enum NetError: Error { case torn }
func haul(_ n: Int) throws -> Int {
    if n < 0 { throw NetError.torn }
    return n * 2
}
var hauled = 0
print(try haul(2))  // expect: 4
let maybe = try? haul(-1)
print(maybe as Any)  // expect: nil
// %%
hauled = 1
print("runs?")
hauled = haul(3)  // expect error: SyntaxError: call can throw but is not marked with 'try'; write 'try haul(…)' inside do { … } catch { … }, or 'try?'
// %%
print(hauled)  // expect: 0
// `try` covers the whole expression to its right; a closure needs its own.
print(try haul(1) + haul(2))  // expect: 6
let doubled = try [1, 2].map { try haul($0) }
print(doubled)  // expect: [2, 4]
// %%
func inner() {
    func risky() throws -> Int { 1 }
    print(risky())  // expect error: SyntaxError: call can throw but is not marked with 'try'; write 'try risky(…)' inside do { … } catch { … }, or 'try?'
}
// %%
// A function that no longer throws needs no `try`.
func haul(_ n: Int) -> Int { n }
print(haul(5))  // expect: 5
let fs = [1].map { x in { try haul(x) } }
