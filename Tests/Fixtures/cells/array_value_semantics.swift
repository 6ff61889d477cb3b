var a = [1, 2]
var b = a
b.append(3)
print(a, b)  // expect: [1, 2] [1, 2, 3]
