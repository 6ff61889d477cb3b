let xs = [0.3, 0.9, 0.1]
print(xs.min()!, xs.max()!)  // expect: 0.1 0.9
print([Int]().max() == nil)  // expect: true
