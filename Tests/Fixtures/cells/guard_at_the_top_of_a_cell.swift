// 'guard' at the top of a cell, as in a Swift script: a name it binds stays for the rest
// of the notebook, its body must end the cell (fatalError or throw), and 'return' there is
// refused as Swift refuses it.
let fishCount = 3
guard fishCount > 0 else { fatalError("no fish") }
print("ok")  // expect: ok
let names = ["cod", "eel"]
guard let first = names.first else { fatalError("empty") }
print(first)  // expect: cod
// %%
print(first.uppercased())  // expect: COD
// %%
let none: [String] = []
guard let other = none.first else { fatalError("no names to show") }  // expect error: FatalError: Fatal error: no names to show
print("not reached")
// %%
guard fishCount > 5 else { _ = fishCount }  // expect error: TypeError: 'guard' body must not fall through; at the top of a cell, end it with fatalError("…") or 'throw'
// %%
guard fishCount > 5 else { return }  // expect error: SyntaxError: return invalid outside of a func
