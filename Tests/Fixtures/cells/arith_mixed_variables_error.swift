let n = 3
let x = 2.5
print(n * x)  // expect error: TypeError: binary operator '*' cannot be applied to operands of type 'Int' and 'Double'
