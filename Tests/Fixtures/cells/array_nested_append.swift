var rows: [[Int]] = [[], []]
rows[0].append(1)
rows[1].append(2)
rows[1].append(3)
print(rows)  // expect: [[1], [2, 3]]
