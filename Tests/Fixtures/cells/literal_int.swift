print(42)  // expect: 42
print(-7)  // expect: -7
print(1_000_000)  // expect: 1000000
print(0xff)  // expect: 255
print(0b101)  // expect: 5
