print([1, 2, 3].reversed())  // expect: [3, 2, 1]
let s = [1, 2, 3, 4, 5].shuffled()
print(s.sorted())  // expect: [1, 2, 3, 4, 5]
