let xs = Array(repeating: 0, count: -1)  // expect error: ValueError: cannot make an array with a negative count (-1)
