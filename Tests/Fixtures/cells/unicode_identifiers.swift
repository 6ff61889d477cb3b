let café = 2
print(café * 2)  // expect: 4
