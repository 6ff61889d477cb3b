var count = 0
count = 2.5  // expect error: TypeError: cannot assign value of type 'Double' to type 'Int'
