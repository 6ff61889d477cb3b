var counts = ["clownfish": 12, "tuna": 7]
print(counts["tuna"]!)  // expect: 7
counts["eel"] = 3
print(counts.count)  // expect: 3
print(counts)  // expect: ["clownfish": 12, "tuna": 7, "eel": 3]
