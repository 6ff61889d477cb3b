var byLabel = [0: "carp", 1: "eel"]
byLabel[2] = "tuna"
print(byLabel[1]!, byLabel.count)  // expect: eel 3
