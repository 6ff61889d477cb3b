let points = Points.spirals(count: 40, classes: 2)
var model = Sequential { Dense(2, 4); ReLU(); Dense(4, 2) }
model.train(3, epochs: 1)  // expect error: TypeError: cannot convert value of type 'Int' to expected argument type 'Dataset'
// %%
model.train(points, validation: "points", epochs: 1)  // expect error: TypeError: cannot convert value of type 'String' to expected argument type 'Dataset'
// %%
model.train(points, epochs: 1.5)  // expect error: TypeError: cannot convert value of type 'Double' to expected argument type 'Int'
// %%
let h = model.train(points, epochs: 1, learningRate: 1)
print(h.trainingLoss.count)  // expect: 1
