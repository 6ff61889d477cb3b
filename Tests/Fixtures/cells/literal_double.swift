print(3.5)  // expect: 3.5
print(1.0)  // expect: 1.0
print(0.1 + 0.2)  // expect: 0.30000000000000004
print(1e3)  // expect: 1000.0
print(2.5e-3)  // expect: 0.0025
