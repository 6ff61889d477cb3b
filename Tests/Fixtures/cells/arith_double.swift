print(7.0 / 2)  // expect: 3.5
print(1.5 * 2)  // expect: 3.0
