break  // expect error: SyntaxError: 'break' is only allowed inside a loop, if, do, or switch
