var d = ["x": 1, "y": 2]
d["x"] = nil
print(d)  // expect: ["y": 2]
print(d.removeValue(forKey: "y")!, d.isEmpty)  // expect: 2 true
