let x: Int? = nil
print(x!)  // expect error: NilError: unexpectedly found nil while unwrapping an Optional value
