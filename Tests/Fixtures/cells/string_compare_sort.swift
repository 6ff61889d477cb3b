print(["pike", "carp", "eel"].sorted())  // expect: ["carp", "eel", "pike"]
