print(true && false, true || false, !true)  // expect: false true false
