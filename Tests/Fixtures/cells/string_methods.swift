let s = "Clownfish"
print(s.count)  // expect: 9
print(s.uppercased())  // expect: CLOWNFISH
print(s.lowercased())  // expect: clownfish
print(s.hasPrefix("Clown"), s.hasSuffix("fish"))  // expect: true true
print(s.contains("own"))  // expect: true
print(s.isEmpty)  // expect: false
