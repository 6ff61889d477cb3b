// `min(a, b)` and `max(a, b)` of two Ints or two Doubles are picked by the
// machine as the builtins pick them (the first unless the second is
// strictly smaller or larger: 0.0 and -0.0 keep their order, NaN as Swift's
// comparisons give it); mixed and other values go to the builtins.
print(max(3, 7), min(3, 7), max(2.5, -1.0), min(0.0, -0.0), max(0.0, -0.0), min(-0.0, 0.0))  // expect: 7 3 2.5 0.0 0.0 -0.0
print(max(1, 2.5), min(Double.nan, 1.0), max(1.0, Double.nan), max("a", "b"), min(4, 9, 2))  // expect: 2.5 nan 1.0 b 2
func spread(_ a: Int, _ b: Int) -> Int { max(a, b) - min(a, b) }
print(spread(3, 10), spread(10, 3))  // expect: 7 7
func both(_ a: Double, _ b: Double) -> String { "\(min(a, b)) \(max(a, b))" }
print(both(0.0, -0.0), both(-0.0, 0.0), both(Double.nan, 1), both(1, Double.nan))  // expect: 0.0 0.0 -0.0 -0.0 nan nan 1.0 1.0
var best = 0
for i in 0..<1000 { best = max(best, (i * 7919) % 10007) }
print(best)  // expect: 9997
print(max(1, "a"))  // expect error: TypeError: cannot compare values of type 'Int' and 'String'
