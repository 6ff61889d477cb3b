let xs = [1, 2]
print(xs.cont)  // expect error: TypeError: value of type '[Int]' has no member 'cont'; did you mean 'count'?
