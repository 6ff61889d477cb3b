var n = 1
while n < 100 { n *= 3 }
print(n)  // expect: 243
