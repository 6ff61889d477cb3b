print(sqrt(16.0), abs(-3), abs(-2.5))  // expect: 4.0 3 2.5
print(pow(2.0, 10.0), floor(2.7), ceil(2.1), round(2.5))  // expect: 1024.0 2.0 3.0 3.0
print(exp(0.0), log(1.0))  // expect: 1.0 0.0
print(sqrt(2))  // expect: 1.4142135623730951
