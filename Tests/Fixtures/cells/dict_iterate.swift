let d = ["x": 1, "y": 2]
for (k, v) in d { print(k, v) }
// expect: x 1
// expect: y 2
