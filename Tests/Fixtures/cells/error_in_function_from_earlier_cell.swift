// An error inside a function defined in an earlier cell points at that cell's line.
func base() -> Int { 1 }
func caller() -> Int { base() + base() }  // expect error: TypeError: cannot call value of non-function type 'Int'
print(caller())  // expect: 2
// %%
let base = 5
caller()
