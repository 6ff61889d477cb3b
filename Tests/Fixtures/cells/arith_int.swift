print(7 + 3, 7 - 3, 7 * 3, 7 / 3, 7 % 3)  // expect: 10 4 21 2 1
print(-7 / 2, -7 % 2)  // expect: -3 -1
