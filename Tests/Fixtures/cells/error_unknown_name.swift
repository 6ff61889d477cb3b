let model = 1
print(modle)  // expect error: NameError: cannot find 'modle' in scope; did you mean 'model'?
