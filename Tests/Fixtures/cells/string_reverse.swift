print(String("fish".reversed()))  // expect: hsif
