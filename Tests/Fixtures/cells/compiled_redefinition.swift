// A compiled caller sees a function redefined in a later cell.
func base() -> Int { 1 }
func caller() -> Int { base() + base() }
print(caller())  // expect: 2
// %%
func base() -> Int { 10 }
print(caller())  // expect: 20
