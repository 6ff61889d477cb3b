let xs: [Any] = [1, "a"]
print(xs.sorted())  // expect error: TypeError: cannot compare values of type 'String' and 'Int'
