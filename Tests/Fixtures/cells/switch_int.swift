for n in [1, 5, 12] {
    switch n {
    case 0: print("zero")
    case 1, 2, 3: print("small")
    case 4..<10: print("medium")
    default: print("large")
    }
}
// expect: small
// expect: medium
// expect: large
