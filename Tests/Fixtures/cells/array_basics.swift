var xs = [3, 1, 2]
print(xs.count, xs.isEmpty)  // expect: 3 false
print(xs[0], xs.first!, xs.last!)  // expect: 3 3 2
xs.append(4)
print(xs)  // expect: [3, 1, 2, 4]
