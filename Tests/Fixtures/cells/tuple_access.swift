let t = (1, "fish", 2.5)
print(t.0, t.1, t.2)  // expect: 1 fish 2.5
