let a = 3, b = 4
if a > 1 {
    if b > 3 {
        print("both")  // expect: both
    }
}
