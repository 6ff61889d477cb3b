let t = (loss: 1.0, accuracy: 0.5)
print(t.acuracy)  // expect error: TypeError: value of type '(loss: Double, accuracy: Double)' has no member 'acuracy'; did you mean 'accuracy'?
