print([3, 1, 2].sorted(by: <))  // expect: [1, 2, 3]
print([1, 2, 3].reduce(0, +))  // expect: 6
