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

extension CoreBuiltins {
    /// A uniform Int in lo...hi from the given generator or the session's.
    static func randomInt(_ lo: Int, _ hi: Int, _ gen: Value?, _ rt: Runtime) throws -> Int {
        if let gen {
            guard case .object(let o) = gen, let g = o as? RandomGeneratorObject else {
                throw CellError.type("'using:' expects a RandomGenerator, not '\(gen.typeName)'")
            }
            return Int.random(in: lo...hi, using: &g.generator)
        }
        return Int.random(in: lo...hi, using: &rt.random)
    }

    static func randomUnit(_ gen: Value?, _ rt: Runtime) throws -> Double {
        if let gen {
            guard case .object(let o) = gen, let g = o as? RandomGeneratorObject else {
                throw CellError.type("'using:' expects a RandomGenerator, not '\(gen.typeName)'")
            }
            return Double.random(in: 0..<1, using: &g.generator)
        }
        return Double.random(in: 0..<1, using: &rt.random)
    }

    static func shuffled(_ items: [Value], _ gen: Value?, _ rt: Runtime) throws -> [Value] {
        var out = items
        if out.count < 2 { return out }
        for i in stride(from: out.count - 1, to: 0, by: -1) {
            out.swapAt(i, try randomInt(0, i, gen, rt))
        }
        return out
    }

    static func registerRandom(_ r: BuiltinRegistry) {
        r.addFunction("RandomGenerator(seed: Int) -> RandomGenerator",
                      doc: "A random generator: the same seed gives the same numbers on every machine.",
                      example: "var rng = RandomGenerator(seed: 42)\nInt.random(in: 1...6, using: &rng)") { a, _ in
            .object(RandomGeneratorObject(seed: try a.int(0)))
        }
        r.addMutatingMethod(on: "RandomGenerator", "next() -> Int", doc: "The next raw random number.") { v, _, _ in
            guard case .object(let o) = v, let g = o as? RandomGeneratorObject else { return .void }
            return .int(Int(truncatingIfNeeded: g.generator.next() >> 1))
        }
        r.addFunction("seedRandom(_ seed: Int)",
                      doc: "Restarts the notebook's own random numbers from a seed (they start from seed 0).",
                      example: "seedRandom(42)") { a, rt in
            rt.random = SeededGenerator(seed: UInt64(bitPattern: Int64(try a.int(0))))
            return .void
        }
        r.addMethod(on: "Int.Type", "random(in range: Range<Int>, using generator: RandomGenerator? = nil) -> Int",
                    doc: "A random Int in the range; seeded by the notebook or by `using:`.",
                    example: "Int.random(in: 1...6)") { _, a, rt in
            guard case .range(let lo, let hi, let closed) = a[0] else { throw a.mismatch(0, expected: "Range<Int>") }
            let top = closed ? hi : hi - 1
            guard lo <= top else { throw CellError.value("cannot pick a random number from an empty range") }
            return .int(try randomInt(lo, top, a.optional(1), rt))
        }
        r.addMethod(on: "Double.Type", "random(in range: Range<Double>, using generator: RandomGenerator? = nil) -> Double",
                    doc: "A random Double in the range; seeded by the notebook or by `using:`.",
                    example: "Double.random(in: 0..<1)") { _, a, rt in
            let lo: Double, hi: Double
            switch a[0] {
            case .doubleRange(let l, let h, _): lo = l; hi = h
            case .range(let l, let h, _): lo = Double(l); hi = Double(h)
            default: throw a.mismatch(0, expected: "Range<Double>")
            }
            guard lo <= hi, lo.isFinite, hi.isFinite else { throw CellError.value("the range must be finite and not empty") }
            return .double(lo + (hi - lo) * (try randomUnit(a.optional(1), rt)))
        }
        r.addMethod(on: "Bool.Type", "random(using generator: RandomGenerator? = nil) -> Bool",
                    doc: "true or false at random (seeded).") { _, a, rt in
            .bool(try randomInt(0, 1, a.optional(0), rt) == 1)
        }
    }
}
