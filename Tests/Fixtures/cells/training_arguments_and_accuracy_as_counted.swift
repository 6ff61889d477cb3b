// A split given as a percentage is told how to write it; each training
// argument out of range is named with the value given; an accuracy is the
// count of right answers divided by the count, as a learner computes it.
let fish = Fish.synthetic(seed: 42)
let (a, b) = fish.split(80, seed: 42)  // expect error: ValueError: the fraction must be between 0 and 1, got 80.0; for 80 %, write 0.8
// %%
let (train, rest) = fish.split(0.8, seed: 42)
var model = ImageClassifier(classes: fish.classes)
// %%
let h0 = model.train(train, validation: rest, epochs: 0)  // expect error: ValueError: epochs must be 1 to 10,000, got 0
// %%
let h1 = model.train(train, validation: rest, epochs: 1, batchSize: 0)  // expect error: ValueError: batchSize must be at least 1, got 0
// %%
let h2 = model.train(train, validation: rest, epochs: 1, learningRate: -0.5)  // expect error: ValueError: learningRate must be a number above 0, such as 0.001; got -0.5
// %%
let history = model.train(train, validation: rest, epochs: 1, batchSize: 32)
let result = model.evaluate(rest)
let right = (0..<result.classes.count).map { result.confusion[$0][$0] }.reduce(0, +)
print(result.accuracy == Double(right) / Double(rest.count))  // expect: true
print(history.validationAccuracy.last! == result.accuracy)  // expect: true
