print("a" < 1)  // expect error: TypeError: binary operator '<' cannot be applied to operands of type 'String' and 'Int'
