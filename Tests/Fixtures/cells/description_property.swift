print(42.description)  // expect: 42
print([1, 2].description)  // expect: [1, 2]
