print(sqrt("four"))  // expect error: TypeError: cannot convert value of type 'String' to expected argument type 'Double'
