let kept = 7
// %%
let broken = (1 +  // expect error: SyntaxError: expected expression after operator
// %%
print(kept)  // expect: 7
