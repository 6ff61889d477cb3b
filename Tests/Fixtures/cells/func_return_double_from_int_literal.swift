func rate() -> Double { return 1 }
print(rate())  // expect: 1.0
