let parts = "a,b,,c".split(separator: ",")
print(parts)  // expect: ["a", "b", "c"]
print("a,b,,c".components(separatedBy: ","))  // expect: ["a", "b", "", "c"]
