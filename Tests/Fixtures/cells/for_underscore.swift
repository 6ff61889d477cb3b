var count = 0
for _ in 1...3 { count += 1 }
print(count)  // expect: 3
