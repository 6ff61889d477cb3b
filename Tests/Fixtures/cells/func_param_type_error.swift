func half(_ x: Double) -> Double { x / 2 }
print(half(3))  // expect: 1.5
half("three")  // expect error: TypeError: cannot convert value of type 'String' to expected argument type 'Double'
