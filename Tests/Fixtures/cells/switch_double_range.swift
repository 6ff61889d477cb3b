let loss = 0.42
switch loss {
case 0..<0.1: print("tiny")
case 0.1..<1.0: print("moderate")  // expect: moderate
default: print("large")
}
