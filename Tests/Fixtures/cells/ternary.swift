let acc = 0.93
print(acc > 0.9 ? "good" : "keep training")  // expect: good
let v = true ? 1 : 0.5
print(v)  // expect: 1.0
