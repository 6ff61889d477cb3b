var xs = [Int]()
xs.removeLast()  // expect error: IndexError: can't remove the last element from an empty array
