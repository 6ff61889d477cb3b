for (i, name) in ["carp", "tuna"].enumerated() {
    print(i, name)
}
// expect: 0 carp
// expect: 1 tuna
