print(Int("42")!)  // expect: 42
print(Int("forty") == nil)  // expect: true
print(Double("2.5")!)  // expect: 2.5
print(String(7) + "!")  // expect: 7!
