print([1, 2].filter { $0 + 1 })  // expect error: TypeError: the closure must return a Bool, not 'Int'
