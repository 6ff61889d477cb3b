var xs = [Int]()
xs[0] = 1  // expect error: IndexError: index 0 is out of range: the array is empty
