print()  // expect:
print("x")  // expect: x
