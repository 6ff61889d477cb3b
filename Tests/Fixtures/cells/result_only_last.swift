1 + 1
2 + 2
// expect: 4
