let big = Int.max
print(big + 1)  // expect error: OverflowError: arithmetic overflow: 9223372036854775807 + 1 does not fit in an Int
