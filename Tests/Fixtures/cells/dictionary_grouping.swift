let names = ["perch", "pike", "bass", "bream", "trout"]
let byLetter = Dictionary(grouping: names, by: { $0.first! })
print(byLetter)  // expect: ["p": ["perch", "pike"], "b": ["bass", "bream"], "t": ["trout"]]
let byLength = Dictionary(grouping: names) { $0.count }
print(byLength[5]!)  // expect: ["perch", "bream", "trout"]
print(byLength.keys.sorted())  // expect: [4, 5]
