let images = 1000
let batchSize = 500
let iterations = (images + batchSize - 1) / batchSize
print("\(images) images in batches of \(batchSize): \(iterations) iterations per epoch")
// expect: 1000 images in batches of 500: 2 iterations per epoch
