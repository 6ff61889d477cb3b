var best: Double? = nil
print(best == nil)  // expect: true
best = 0.9
print(best!)  // expect: 0.9
