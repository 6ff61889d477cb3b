var rate = 0.5
rate = 1
print(rate)  // expect: 1.0
