print(Int.max)  // expect: 9223372036854775807
print(Double.pi)  // expect: 3.141592653589793
print(Int.min < 0)  // expect: true
