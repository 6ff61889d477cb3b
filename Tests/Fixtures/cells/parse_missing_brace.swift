if true {
    print("x")  // expect error: SyntaxError: expected '}' to end 'if' statement
