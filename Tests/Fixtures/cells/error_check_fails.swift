let n = 3
check(n == 3, "n should be 3")
check(n > 5, "n should be more than 5")  // expect error: CheckFailed: n should be more than 5
