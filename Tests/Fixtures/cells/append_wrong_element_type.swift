// A literal, or a variable annotated with a type, appended or inserted into a collection
// declared to hold another type is refused as Swift refuses it (an Int literal still goes
// into Doubles).
var xs: [Int] = []
var ds: [Double] = []
var names = [String]()
var flags: [Bool] = [true]
let label: String = "cod"
let count: Int = 3
// %%
xs.append("x")  // expect error: TypeError: cannot convert value of type 'String' to expected argument type 'Int'
// %%
xs.append(2.5)  // expect error: TypeError: cannot convert value of type 'Double' to expected argument type 'Int'
// %%
names.append(count)  // expect error: TypeError: cannot convert value of type 'Int' to expected argument type 'String'
// %%
ds.insert(true, at: 0)  // expect error: TypeError: cannot convert value of type 'Bool' to expected argument type 'Double'
// %%
ds.append(2)
names.append(label)
flags.append(false)
xs.append(4)
xs.insert(count, at: 0)
print(xs, ds, names, flags)  // expect: [3, 4] [2.0] ["cod"] [true, false]
