let n = 1
if n { print("yes") }  // expect error: TypeError: cannot convert value of type 'Int' to expected condition type 'Bool'
