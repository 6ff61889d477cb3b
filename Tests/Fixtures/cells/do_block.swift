do {
    let inner = 5
    print(inner)  // expect: 5
}
