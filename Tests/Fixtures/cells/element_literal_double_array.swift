// Integer literals stored into a [Double] become Doubles, as Swift infers them.
var a: [Double] = []
a.append(2)
a += [3]
print(a)  // expect: [2.0, 3.0]
var b = [1.5]
b.append(2)
print(b)  // expect: [1.5, 2.0]
print(b.reduce(0, +) / Double(b.count))  // expect: 1.75
var u: [Double] = [1, 2]
print(u)  // expect: [1.0, 2.0]
u.insert(3, at: 0)
u[1] = 4
u.append(-1)
print(u)  // expect: [3.0, 4.0, 2.0, -1.0]
let c = u + [5]
print(c)  // expect: [3.0, 4.0, 2.0, -1.0, 5.0]
print([0] + b)  // expect: [0.0, 1.5, 2.0]
var e = [Double]()
e.append(7)
print(e)  // expect: [7.0]
var ints = [1, 2]
ints.append(3)
ints += [4]
print(ints)  // expect: [1, 2, 3, 4]
// %%
// The next cell still knows a's type.
a.append(4)
print(a)  // expect: [2.0, 3.0, 4.0]
