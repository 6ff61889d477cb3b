print("hi")  // expect: hi
print("again")  // expect: again
