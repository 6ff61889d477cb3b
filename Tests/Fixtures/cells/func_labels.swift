func iterations(images: Int, batchSize: Int) -> Int {
    return (images + batchSize - 1) / batchSize
}
print(iterations(images: 1000, batchSize: 500))  // expect: 2
print(iterations(images: 1001, batchSize: 500))  // expect: 3
