func minMax(_ xs: [Int]) -> (min: Int, max: Int) {
    return (xs.min()!, xs.max()!)
}
let r = minMax([3, 9, 1])
print(r.min, r.max)  // expect: 1 9
