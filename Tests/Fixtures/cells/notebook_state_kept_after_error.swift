var progress = 1
// %%
progress = 2
let bad = [1][3]  // expect error: IndexError: index 3 is out of range for an array of 1 element (valid indices are 0..<1)
// %%
print(progress)  // expect: 2
