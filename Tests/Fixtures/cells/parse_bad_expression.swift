let x = * 3  // expect error: SyntaxError: expected expression in variable
