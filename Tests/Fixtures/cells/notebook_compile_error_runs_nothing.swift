var n = 1
// %%
n = 5
print(undefinedThing)  // expect error: NameError: cannot find 'undefinedThing' in scope
// %%
print(n)  // expect: 1
