func train(epochs: Int) {}
train(3)  // expect error: TypeError: missing argument label 'epochs:' in call
