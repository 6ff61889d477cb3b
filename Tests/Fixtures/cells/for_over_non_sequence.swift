for x in 5 { print(x) }  // expect error: TypeError: for-in loop requires 'Int' to be a sequence
