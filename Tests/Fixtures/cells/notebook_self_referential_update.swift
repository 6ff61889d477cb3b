var total = 10
// %%
let total = total + 5
print(total)  // expect: 15
