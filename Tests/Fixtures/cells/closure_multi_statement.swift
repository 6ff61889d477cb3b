let labels = [0, 1, 1].map { (x: Int) -> String in
    if x == 0 { return "carp" }
    return "eel"
}
print(labels)  // expect: ["carp", "eel", "eel"]
