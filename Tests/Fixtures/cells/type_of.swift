print(type(of: 3), type(of: 2.5), type(of: "s"), type(of: [1]))  // expect: Int Double String [Int]
