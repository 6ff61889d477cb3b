var t = (1, 2)
t.0 = 10
print(t)  // expect: (10, 2)
