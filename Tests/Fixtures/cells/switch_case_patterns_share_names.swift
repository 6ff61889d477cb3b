// Several patterns in one case bind the same names; whichever matched, the body reads its values.
enum Shape { case square(Double), circle(Double), rect(Double, Double) }
func describe(_ s: Shape) -> String {
    switch s {
    case .square(let x), .circle(let x): return "one size \(x)"
    case let .rect(w, h) where w > h, let .rect(h, w): return "long side \(w), short side \(h)"
    }
}
print(describe(.square(2)))  // expect: one size 2.0
print(describe(.circle(1)))  // expect: one size 1.0
print(describe(.rect(5, 3)))  // expect: long side 5.0, short side 3.0
print(describe(.rect(3, 5)))  // expect: long side 5.0, short side 3.0
// %%
enum Catch: Error { case small(Int), undersized(Int), fine }
for e in [Catch.small(3), .undersized(7), .fine] {
    do { throw e } catch Catch.small(let n), Catch.undersized(let n) { print("too small:", n) } catch { print("kept") }
}
// expect: too small: 3
// expect: too small: 7
// expect: kept
