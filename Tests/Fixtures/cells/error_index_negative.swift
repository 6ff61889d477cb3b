let xs = [1, 2]
print(xs[-1])  // expect error: IndexError: index -1 is out of range for an array of 2 elements (valid indices are 0..<2)
