indirect enum Expr {
    case number(Double)
    case add(Expr, Expr)
    case multiply(Expr, Expr)
}
func evaluate(_ e: Expr) -> Double {
    switch e {
    case let .number(v): return v
    case let .add(a, b): return evaluate(a) + evaluate(b)
    case let .multiply(a, b): return evaluate(a) * evaluate(b)
    }
}
let sum = Expr.add(.number(2), .multiply(.number(3), .number(4)))
print(evaluate(sum))  // expect: 14.0
print(Expr.number(1))  // expect: number(1.0)
