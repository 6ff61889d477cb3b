print(String(repeating: "=", count: 5))  // expect: =====
