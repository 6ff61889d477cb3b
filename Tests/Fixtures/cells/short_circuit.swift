func loud() -> Bool {
    print("evaluated")
    return true
}
print(false && loud())  // expect: false
print(true || loud())  // expect: true
