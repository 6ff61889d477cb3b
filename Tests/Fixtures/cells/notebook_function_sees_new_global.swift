let rate = 0.1
func step() -> Double { rate * 2 }
// %%
let rate = 0.5
print(step())  // expect: 1.0
