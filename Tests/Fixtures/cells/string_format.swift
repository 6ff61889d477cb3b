print(String(format: "%.2f", 3.14159))  // expect: 3.14
print(String(format: "%d of %d", 3, 10))  // expect: 3 of 10
print(String(format: "%5.1f%%", 93.456))  // expect:  93.5%
print(String(format: "%s!", "done"))  // expect: done!
