let before = 41
func forever(_ n: Int) -> Int { forever(n + 1) + 1 }  // expect error: ResourceLimit: recursion went deeper than 2000 calls in 'forever'; is a base case missing?
forever(0)
// %%
func depth(_ n: Int) -> Int { n == 0 ? 0 : 1 + depth(n - 1) }
print(before + 1, depth(1500))  // expect: 42 1500
