let s = "fish"
print(s[0])  // expect error: TypeError: a String cannot be indexed with an Int; use Array(text)[i] to get the i-th character
