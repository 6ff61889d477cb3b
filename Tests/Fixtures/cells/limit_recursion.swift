func down(_ n: Int) -> Int { down(n + 1) }  // expect error: ResourceLimit: recursion went deeper than 2000 calls in 'down'; is a base case missing?
down(0)
