func add(_ a: Int, _ b: Int) -> Int { a + b }
add(1)  // expect error: TypeError: missing argument for parameter #2 in call
