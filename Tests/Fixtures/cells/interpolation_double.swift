let acc = 0.5
print("accuracy \(acc * 100)%")  // expect: accuracy 50.0%
