let s = "tuna"
print(s.first!, s.last!)  // expect: t a
print("".first == nil)  // expect: true
