print("  fish  ".trimmingCharacters(in: .whitespaces))  // expect: fish
print("a-b-c".replacingOccurrences(of: "-", with: "+"))  // expect: a+b+c
