let result = (loss: 0.25, accuracy: 0.9)
print(result.loss, result.accuracy)  // expect: 0.25 0.9
print(result)  // expect: (loss: 0.25, accuracy: 0.9)
