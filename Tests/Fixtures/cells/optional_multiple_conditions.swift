let a = Int("4"), b = Int("5")
if let a, let b, a < b {
    print("ordered")  // expect: ordered
}
