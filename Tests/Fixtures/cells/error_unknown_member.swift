let xs = [1, 2]
print(xs.lenght)  // expect error: TypeError: value of type '[Int]' has no member 'lenght'
