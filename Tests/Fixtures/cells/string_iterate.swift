var letters: [String] = []
for c in "fish" { letters.append(c) }
print(letters)  // expect: ["f", "i", "s", "h"]
