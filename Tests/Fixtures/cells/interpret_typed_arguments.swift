let points = Points.spirals(count: 40, classes: 2)
var model = Sequential { Dense(2, 4); ReLU(); Dense(4, 2) }
model.train(points, epochs: 1, augmentation: 3)  // expect error: TypeError: augmentation takes true, false or an Augmentation(…), not a value of type 'Int'
// %%
let h = model.train(points, epochs: 1, augmentation: true)
print(h.trainingLoss.count)  // expect: 1
// %%
model.explain(42)  // expect error: TypeError: expected a Picture (such as test.picture(0)) or the path of a photo, not 'Int'
// %%
model.explain("fish.jpg")  // expect error: ValueError: explain works on models of square colour pictures; this model takes samples of shape [2]
// %%
let result = model.evaluate(points)
print(result.losses.count)  // expect: 40
// %%
result.topLosses(0)  // expect error: ValueError: topLosses needs a count of at least 1
// %%
model.findLearningRate(points, from: 1, to: 0.1)  // expect error: ValueError: the rates must rise from above 0 to at most 100, like from: 0.000001, to: 1
// %%
showAugmented(points, count: 2)  // expect error: TypeError: expected a Picture (such as test.picture(0)) or the path of a photo, not 'Dataset'
// %%
showAugmented("fish.jpg", augmentation: 2)  // expect error: TypeError: cannot convert value of type 'Int' to expected argument type 'Augmentation'
