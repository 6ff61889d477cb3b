var table: [[Int]] = []
for i in 1...3 {
    var row: [Int] = []
    for j in 1...3 { row.append(i * j) }
    table.append(row)
}
print(table)  // expect: [[1, 2, 3], [2, 4, 6], [3, 6, 9]]
