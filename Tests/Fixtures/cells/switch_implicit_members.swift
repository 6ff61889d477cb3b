let optimizer = [.sgd, .adam][1]
switch optimizer {
case .sgd: print("plain")
case .adam: print("adaptive")  // expect: adaptive
default: print("other")
}
