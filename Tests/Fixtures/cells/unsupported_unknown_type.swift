let t: Tensor = 3  // expect error: NameError: cannot find type 'Tensor' in scope
