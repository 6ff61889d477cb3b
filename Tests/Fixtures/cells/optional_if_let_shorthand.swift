let best: Int? = 3
if let best { print(best) }  // expect: 3
