// Cell-level loops run compiled too, updating notebook globals.
var total = 0
var text = ""
var squares: [Int] = []
for i in 1...5 {
    total += i
    text += "\(i)"
    squares.append(i * i)
}
var n = 0
while n < 3 { n += 1 }
print(total, text, squares, n)  // expect: 15 12345 [1, 4, 9, 16, 25] 3
// %%
for i in 1...3 { total += i }
print(total)  // expect: 21
