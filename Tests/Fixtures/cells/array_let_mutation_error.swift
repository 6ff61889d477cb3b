let xs = [1]
xs.append(2)  // expect error: TypeError: cannot use mutating member on immutable value: 'xs' is a 'let' constant
