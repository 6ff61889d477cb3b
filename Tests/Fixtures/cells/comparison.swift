print(1 < 2, 2 <= 2, 3 > 4, 4 >= 4, 1 == 1, 1 != 1)  // expect: true true false true true false
print("apple" < "banana")  // expect: true
print(1.5 < 2)  // expect: true
