let (train, rest) = (80, 20)
print(train, rest)  // expect: 80 20
let (x, _) = (1, 2)
print(x)  // expect: 1
