let a = 5
print(-a)  // expect: -5
print(-(2.5))  // expect: -2.5
