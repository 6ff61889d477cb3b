// An Int variable is not a literal: adding it to an array of Doubles is a type error, as in Swift.
let k = 2
var b = [1.5]
b.append(k)  // expect error: TypeError: cannot convert value of type 'Int' to expected argument type 'Double'
// %%
b.insert(k, at: 0)  // expect error: TypeError: cannot convert value of type 'Int' to expected argument type 'Double'
// %%
b.append(Double(k))
print(b)  // expect: [1.5, 2.0]
// %%
func add(_ n: Int, to xs: [Double]) -> [Double] {
    var ys = xs
    ys.append(n)  // expect error: TypeError: cannot convert value of type 'Int' to expected argument type 'Double'
    return ys
}
print(add(3, to: [0.5]))
// %%
var empty: [Double] = []
empty.append(k)  // expect error: TypeError: cannot convert value of type 'Int' to expected argument type 'Double'
// %%
func collect(_ n: Int) -> [Double] {
    var xs = [Double]()
    let half = 0.5
    xs.append(half)
    xs.insert(n, at: 0)  // expect error: TypeError: cannot convert value of type 'Int' to expected argument type 'Double'
    return xs
}
print(collect(1))
