print("salmon".prefix(3))  // expect: sal
print("salmon".suffix(2))  // expect: on
print("salmon".dropFirst())  // expect: almon
