var xs = [1]
xs.append(contentsOf: [2, 3])
xs.append(contentsOf: 4...5)
print(xs)  // expect: [1, 2, 3, 4, 5]
