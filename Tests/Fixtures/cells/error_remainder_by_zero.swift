let zero = 0
print(10 % zero)  // expect error: ZeroDivisionError: division by zero in remainder operation
