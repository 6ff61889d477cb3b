for i in 1...10 {
    if i == 2 { continue }
    if i > 4 { break }
    print(i)
}
// expect: 1
// expect: 3
// expect: 4
