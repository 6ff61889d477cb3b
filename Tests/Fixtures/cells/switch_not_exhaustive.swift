let n = 3
switch n {  // expect error: SyntaxError: switch must be exhaustive; add a 'default:' case
case 1: print("one")
}
