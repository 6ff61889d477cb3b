let acc = 0.8
let label = if acc > 0.5 { "pass" } else { "fail" }
print(label)  // expect: pass
