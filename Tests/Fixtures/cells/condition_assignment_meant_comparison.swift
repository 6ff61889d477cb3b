let x = 5
if x = 5 { print(x) }  // expect error: SyntaxError: use of '=' in a condition; did you mean '=='?
// %%
var n = 0
while n = 3 { n += 1 }  // expect error: SyntaxError: use of '=' in a condition; did you mean '=='?
