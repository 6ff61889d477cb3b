var x = 10
x += 5
x -= 3
x *= 2
x /= 4
x %= 4
print(x)  // expect: 2
var s = "a"
s += "b"
print(s)  // expect: ab
var xs = [1]
xs += [2, 3]
print(xs)  // expect: [1, 2, 3]
