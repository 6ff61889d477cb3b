let n = Int("12")
if let n = n {
    print(n + 1)  // expect: 13
}
if let m = Int("x") {
    print(m)
} else {
    print("not a number")  // expect: not a number
}
