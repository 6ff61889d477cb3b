var xs = [1, 2, 3]
for i in xs.indices { xs[i] *= 2 }
print(xs)  // expect: [2, 4, 6]
