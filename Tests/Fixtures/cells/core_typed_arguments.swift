var fish = ["perch", "trout"]
fish.append("bass")
fish.insert("pike", at: 1)
fish.swapAt(0, 3)
print(fish, fish.count, fish.first ?? "")  // expect: ["bass", "pike", "trout", "perch"] 4 bass
print("clownfish".hasPrefix("clown"), pow(2, 10), max(3, 7.5, 5), abs(-4))  // expect: true 1024.0 7.5 4
print(Array(repeating: 0, count: 3), String(repeating: "=", count: 4), String(255, radix: 16))  // expect: [0, 0, 0] ==== ff
// %%
fish.insert("pike", at: "one")  // expect error: TypeError: cannot convert value of type 'String' to expected argument type 'Int'
// %%
print(fish)  // expect: ["bass", "pike", "trout", "perch"]
let n = "clownfish".hasSuffix(4)  // expect error: TypeError: cannot convert value of type 'Int' to expected argument type 'String'
// %%
let m: Int? = 2
let s = fish.remove(at: m)  // expect error: TypeError: cannot convert value of type 'Int?' to expected argument type 'Int'
// %%
let r = Int.random(in: 1.5, using: 3)  // expect error: TypeError: cannot convert value of type 'Double' to expected argument type 'Range<Int>'
// %%
var d = ["a": 1]
print(d.updateValue(2, forKey: "a") ?? 0, d)  // expect: 1 ["a": 2]
