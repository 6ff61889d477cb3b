let n = 7
switch n {
case let x where x % 2 == 0: print("even", x)
case let x: print("odd", x)  // expect: odd 7
}
