let x = 6 * 7
x
// expect: 42
