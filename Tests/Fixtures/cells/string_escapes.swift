print("tab\there")  // expect: tab	here
print("quote \"q\"")  // expect: quote "q"
print("\u{1F41F}")  // expect: 🐟
