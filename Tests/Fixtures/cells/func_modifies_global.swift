var calls = 0
func tick() { calls += 1 }
tick()
tick()
print(calls)  // expect: 2
