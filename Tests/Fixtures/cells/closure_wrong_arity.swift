let f = { (a: Int) -> Int in a }
print([1, 2].reduce(0, f))  // expect error: TypeError: closure takes 1 argument but was called with 2
