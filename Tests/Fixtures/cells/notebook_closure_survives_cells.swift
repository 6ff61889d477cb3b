var hits = 0
let bump = { hits += 1 }
// %%
bump()
bump()
print(hits)  // expect: 2
