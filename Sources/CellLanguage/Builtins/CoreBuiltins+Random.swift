/// A seeded random generator cells can hold: `var rng = RandomGenerator(seed: 7)`.
public final class RandomGeneratorObject: HostObject {
    public var generator: SeededGenerator
    public let seed: Int
    public init(seed: Int) {
        self.seed = seed
        generator = SeededGenerator(seed: UInt64(bitPattern: Int64(seed)))
    }
    public var typeName: String { "RandomGenerator" }
    public var textDescription: String { "RandomGenerator(seed: \(seed))" }
}

/// The generator a random builtin takes `using:`.
struct GeneratorArgument: ArgumentType {
    let object: RandomGeneratorObject

    init(argument value: Value, _ a: borrowing Arguments, _ i: Int) throws {
        guard let g = RandomGeneratorObject.cast(value) else {
            throw CellError.type("'using:' expects a RandomGenerator, not '\(value.typeName)'", at: a.range(i))
        }
        object = g
    }
}

/// A range of Ints, as `Int.random(in:)` takes it.
struct IntRangeArgument: ArgumentType {
    let lower: Int, upper: Int, closed: Bool

    init(argument value: Value, _ a: borrowing Arguments, _ i: Int) throws {
        guard case .range(let lo, let hi, let closed) = value else { throw a.mismatch(i, expected: "Range<Int>") }
        (lower, upper, self.closed) = (lo, hi, closed)
    }
}

/// A range of Doubles (or of Ints, taken as Doubles), as `Double.random(in:)` takes it.
struct DoubleRangeArgument: ArgumentType {
    let lower: Double, upper: Double

    init(argument value: Value, _ a: borrowing Arguments, _ i: Int) throws {
        switch value {
        case .doubleRange(let l, let h, _): (lower, upper) = (l, h)
        case .range(let l, let h, _): (lower, upper) = (Double(l), Double(h))
        default: throw a.mismatch(i, expected: "Range<Double>")
        }
    }
}

extension CoreBuiltins {
    /// A uniform Int in lo...hi from the given generator or the session's.
    static func randomInt(_ lo: Int, _ hi: Int, _ gen: GeneratorArgument?, _ rt: Runtime) -> Int {
        if let g = gen?.object { return Int.random(in: lo...hi, using: &g.generator) }
        return Int.random(in: lo...hi, using: &rt.random)
    }

    static func randomUnit(_ gen: GeneratorArgument?, _ rt: Runtime) -> Double {
        if let g = gen?.object { return Double.random(in: 0..<1, using: &g.generator) }
        return Double.random(in: 0..<1, using: &rt.random)
    }

    static func shuffled(_ items: [Value], _ gen: GeneratorArgument?, _ rt: Runtime) -> [Value] {
        var out = items
        if out.count < 2 { return out }
        for i in stride(from: out.count - 1, to: 0, by: -1) {
            out.swapAt(i, randomInt(0, i, gen, rt))
        }
        return out
    }

    static func registerRandom(_ r: BuiltinRegistry) {
        r.addFunction("RandomGenerator(seed: Int) -> RandomGenerator",
                      doc: "A random generator: the same seed gives the same numbers on every machine.",
                      example: "var rng = RandomGenerator(seed: 42)\nInt.random(in: 1...6, using: &rng)",
                      arguments: Int.self) { seed, _ in
            .object(RandomGeneratorObject(seed: seed))
        }
        r.addMutatingMethod(on: "RandomGenerator", "next() -> Int", doc: "The next raw random number.",
                            receiver: RandomGeneratorObject.self) { g, _ in
            .int(Int(truncatingIfNeeded: g.generator.next() >> 1))
        }
        r.addFunction("seedRandom(_ seed: Int)",
                      doc: "Restarts the notebook's own random numbers from a seed (they start from seed 0).",
                      example: "seedRandom(42)", arguments: Int.self) { seed, rt in
            rt.random = SeededGenerator(seed: UInt64(bitPattern: Int64(seed)))
            return .void
        }
        r.addMethod(on: "Int.Type", "random(in range: Range<Int>, using generator: RandomGenerator? = nil) -> Int",
                    doc: "A random Int in the range; seeded by the notebook or by `using:`.",
                    example: "Int.random(in: 1...6)",
                    arguments: (IntRangeArgument.self, GeneratorArgument?.self)) { range, generator, rt in
            let top = range.closed ? range.upper : range.upper - 1
            guard range.lower <= top else { throw CellError.value("cannot pick a random number from an empty range") }
            return .int(randomInt(range.lower, top, generator, rt))
        }
        r.addMethod(on: "Double.Type", "random(in range: Range<Double>, using generator: RandomGenerator? = nil) -> Double",
                    doc: "A random Double in the range; seeded by the notebook or by `using:`.",
                    example: "Double.random(in: 0..<1)",
                    arguments: (DoubleRangeArgument.self, GeneratorArgument?.self)) { range, generator, rt in
            let (lo, hi) = (range.lower, range.upper)
            guard lo <= hi, lo.isFinite, hi.isFinite else { throw CellError.value("the range must be finite and not empty") }
            return .double(lo + (hi - lo) * randomUnit(generator, rt))
        }
        r.addMethod(on: "Bool.Type", "random(using generator: RandomGenerator? = nil) -> Bool",
                    doc: "true or false at random (seeded).", arguments: GeneratorArgument?.self) { generator, rt in
            .bool(randomInt(0, 1, generator, rt) == 1)
        }
    }
}
