var d = ["a": 1]
print(d.updateValue(2, forKey: "a")!)  // expect: 1
print(d["a"]!)  // expect: 2
