print("no newline", terminator: "")
print(" then newline")  // expect: no newline then newline
