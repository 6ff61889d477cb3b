let x = 3
x(2)  // expect error: TypeError: cannot call value of non-function type 'Int'
