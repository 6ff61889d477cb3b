func describe(_ name: String, loud: Bool = false) -> String { loud ? name.uppercased() : name }
print(describe("carp") { true })  // expect error: TypeError: extra argument in call
