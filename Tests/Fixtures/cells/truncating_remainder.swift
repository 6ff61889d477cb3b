print((7.5).truncatingRemainder(dividingBy: 2))  // expect: 1.5
print(7.5 % 2)  // expect error: TypeError: '%' is unavailable for Double: use truncatingRemainder(dividingBy:)
