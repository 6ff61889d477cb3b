let x: Int? = 3
print(x + 1)  // expect error: TypeError: value of optional type 'Int?' must be unwrapped to a value of type 'Int'
