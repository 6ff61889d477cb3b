print(Int(3.99), Int(-3.99))  // expect: 3 -3
print(Double(7))  // expect: 7.0
print(Int(Double(10) / 4))  // expect: 2
print((2.5).rounded(), (7.0).squareRoot())  // expect: 3.0 2.6457513110645907
