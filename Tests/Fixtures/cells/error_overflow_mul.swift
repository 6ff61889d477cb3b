var x = 1
for _ in 1...70 { x *= 2 }  // expect error: OverflowError: arithmetic overflow: 4611686018427387904 * 2 does not fit in an Int
