for x in [1, -2, 3] {
    guard x > 0 else { continue }
    print(x)
}
// expect: 1
// expect: 3
