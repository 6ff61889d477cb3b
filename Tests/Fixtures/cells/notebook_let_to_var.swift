let n = 1
// %%
var n = 5
n += 1
print(n)  // expect: 6
