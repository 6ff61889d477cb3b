func total(_ xs: Int...) -> Int { xs.reduce(0, +) }
print(total(1, 2, 3))  // expect: 6
print(total())  // expect: 0
