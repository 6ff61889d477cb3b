var xs = [1, 2, 3, 4]
xs.insert(0, at: 0)
let removed = xs.remove(at: 1)
print(removed, xs)  // expect: 1 [0, 2, 3, 4]
print(xs.removeLast(), xs)  // expect: 4 [0, 2, 3]
xs.removeAll()
print(xs.isEmpty)  // expect: true
