let xs = ["a", "b", "c"]
print(xs.contains("b"), xs.firstIndex(of: "c")!)  // expect: true 2
print(xs.firstIndex(of: "z") == nil)  // expect: true
