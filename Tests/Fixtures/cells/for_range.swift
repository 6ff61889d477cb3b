var s = 0
for i in 0..<5 { s += i }
print(s)  // expect: 10
