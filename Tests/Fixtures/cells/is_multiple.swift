print(10.isMultiple(of: 5), 7.isMultiple(of: 2))  // expect: true false
