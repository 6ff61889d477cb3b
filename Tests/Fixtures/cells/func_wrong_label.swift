func train(epochs: Int) {}
train(epoch: 3)  // expect error: TypeError: incorrect argument label in call (have 'epoch:', expected 'epochs:')
