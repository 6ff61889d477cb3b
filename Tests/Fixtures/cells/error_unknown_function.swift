pritn("x")  // expect error: NameError: cannot find 'pritn' in scope; did you mean 'print'?
