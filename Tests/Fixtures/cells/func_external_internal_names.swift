func greet(person name: String) -> String { "Hello, \(name)" }
print(greet(person: "Ana"))  // expect: Hello, Ana
