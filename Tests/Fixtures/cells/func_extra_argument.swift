func one(_ a: Int) -> Int { a }
one(1, 2)  // expect error: TypeError: extra argument in call
