// Int(_:radix:) reads another base, the inverse of String(_:radix:).
print(String(255, radix: 2), Int("ff", radix: 16)!)  // expect: 11111111 255
print(Int("12", radix: 2) as Any)  // expect: nil
Int("1", radix: 40)  // expect error: ValueError: radix must be between 2 and 36
