// An error inside a type's own `<` stops sorted(), min() and max() with that error (it does not count as "not less").
struct Tank: Comparable {
    let litres: Int
    static func < (a: Tank, b: Tank) -> Bool {
        let sizes = [10, 20]
        return sizes[a.litres] < sizes[b.litres]  // expect error: IndexError: index 5 is out of range for an array of 2 elements (valid indices are 0..<2)
    }
}
print([Tank(litres: 1), Tank(litres: 0)].sorted().map { $0.litres })  // expect: [0, 1]
print([Tank(litres: 1), Tank(litres: 0)].max()!.litres)  // expect: 1
print([Tank(litres: 1), Tank(litres: 5), Tank(litres: 0)].sorted().map { $0.litres })
print("not reached")
// %%
struct Pond: Comparable {
    let depth: Int
    static func < (a: Pond, b: Pond) -> Bool {
        [1, 2][a.depth] < [1, 2][b.depth]  // expect error: IndexError: index 7 is out of range for an array of 2 elements (valid indices are 0..<2)
    }
}
print([Pond(depth: 0), Pond(depth: 7)].min()!.depth)
print("not reached")
