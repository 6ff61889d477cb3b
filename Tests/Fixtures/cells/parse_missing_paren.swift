print("x"  // expect error: SyntaxError: expected ')' to end function call
