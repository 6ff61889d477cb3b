func square(_ x: Int) -> Int { x * x }
square(x: 3)  // expect error: TypeError: extraneous argument label 'x:' in call
