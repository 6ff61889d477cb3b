let species = ["carp", "eel"]
// %%
print(species.count)  // expect: 2
