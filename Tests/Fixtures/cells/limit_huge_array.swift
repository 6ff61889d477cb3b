let xs = Array(repeating: 0, count: 1_000_000_000)  // expect error: ResourceLimit: a collection of 1000000000 elements is larger than the limit of 50000000
