let x = 1
// %%
let x = "now a string"
print(x)  // expect: now a string
