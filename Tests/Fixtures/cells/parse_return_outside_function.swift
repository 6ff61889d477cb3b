return 3  // expect error: SyntaxError: return invalid outside of a func
