let d = ["a": 1, "a": 2]  // expect error: ValueError: dictionary literal has the key "a" twice
