func train(epochs: Int = 10, batchSize: Int = 32) -> String {
    "\(epochs) epochs, batch \(batchSize)"
}
print(train())  // expect: 10 epochs, batch 32
print(train(batchSize: 8))  // expect: 10 epochs, batch 8
print(train(epochs: 3))  // expect: 3 epochs, batch 32
