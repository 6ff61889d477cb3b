var s = 0
for i in 0..<100_000 { s += i % 7 }
print(s)  // expect: 299995
