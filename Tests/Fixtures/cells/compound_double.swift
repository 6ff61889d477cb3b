var loss = 1.0
loss *= 0.5
loss += 1
print(loss)  // expect: 1.5
