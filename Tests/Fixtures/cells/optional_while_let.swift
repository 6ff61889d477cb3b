var stack = [1, 2, 3]
while let top = stack.popLast() {
    print(top)
}
// expect: 3
// expect: 2
// expect: 1
