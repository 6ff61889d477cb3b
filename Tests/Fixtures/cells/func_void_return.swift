func report(_ x: Int) {
    if x < 0 { return }
    print("value", x)
}
report(-1)
report(2)  // expect: value 2
