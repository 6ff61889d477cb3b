let correct = 45
let total = 50
print(Double(correct) / Double(total))  // expect: 0.9
