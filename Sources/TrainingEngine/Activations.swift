import Foundation

/// max(0, x), or min(max(0, x), 6) when `cap` is 6 (ReLU6, used by mobile
/// networks such as EfficientNet-Lite).
public final class ReLU: Layer {
    public let cap: Float?
    public var isFrozen = false
    private var output: Tensor?

    public init(cap: Float? = nil) { self.cap = cap }

    public var name: String { cap == nil ? "ReLU" : "ReLU6" }
    public var parameters: [Parameter] { [] }
    public var spec: LayerSpec { cap == nil ? LayerSpec(kind: "ReLU") : LayerSpec(kind: "ReLU6") }
    public func outputShape(for input: [Int]) throws -> [Int] { input }

    public func forward(_ x: Tensor, training: Bool) throws -> Tensor {
        let out = try Tensor(uninitialized: x.shape)
        let (src, dst, cap) = (x.pointer, out.pointer, self.cap)
        Engine.parallelFor(x.count, grain: 1 << 16) { r in
            reluForward(src + r.lowerBound, dst + r.lowerBound, r.count, cap: cap)
        }
        output = training ? out : nil
        return out
    }

    /// Inference without a new tensor: the values are replaced where they are
    /// (copied first only if someone else holds them).
    func forwardInPlace(_ x: inout Tensor) throws {
        output = nil
        x.makeUnique()
        let (p, cap) = (x.pointer, self.cap)
        Engine.parallelFor(x.count, grain: 1 << 16) { r in reluForward(p + r.lowerBound, p + r.lowerBound, r.count, cap: cap) }
    }

    public func backward(_ g: Tensor, needInputGradient: Bool) throws -> Tensor? {
        let y = try requireCached(output, name)
        output = nil
        guard needInputGradient else { return nil }
        guard g.shape == y.shape else {
            throw ShapeError("\(name) backward expects a gradient of shape \(shapeText(y.shape)), got \(shapeText(g.shape))")
        }
        let dx = try Tensor(uninitialized: y.shape)
        let (gp, yp, dp, cap) = (g.pointer, y.pointer, dx.pointer, self.cap)
        Engine.parallelFor(y.count, grain: 1 << 16) { r in
            reluBackward(gp + r.lowerBound, yp + r.lowerBound, dp + r.lowerBound, r.count, cap: cap)
        }
        return dx
    }
}

/// During training, zeroes each value with probability `rate` and scales the
/// rest by 1 / (1 − rate); at inference it passes values through.
public final class Dropout: Layer {
    public let rate: Float
    public var isFrozen = false
    /// The mask generator (saved and put back by the learning-rate finder).
    var random: EngineRandom
    private var mask: Tensor?

    public init(rate: Float, seed: UInt64 = 0) throws {
        guard rate >= 0, rate < 1 else { throw InvalidArgument("Dropout rate must be in [0, 1), got \(rate)") }
        self.rate = rate
        random = EngineRandom(seed: seed)
    }

    /// Restarts the mask sequence (same seed, same masks).
    public func reseed(_ seed: UInt64) { random = EngineRandom(seed: seed) }
    /// Where the mask sequence stands, to put back after a run that must leave no trace (the head explorer).
    public var maskGenerator: EngineRandom {
        get { random }
        set { random = newValue }
    }

    public var name: String { "Dropout" }
    public var parameters: [Parameter] { [] }
    public var spec: LayerSpec { LayerSpec(kind: "Dropout", floats: ["rate": rate]) }
    public func outputShape(for input: [Int]) throws -> [Int] { input }

    public func forward(_ x: Tensor, training: Bool) throws -> Tensor {
        guard training, rate > 0 else { mask = nil; return x }
        let m = try Tensor(uninitialized: x.shape)
        let keep = 1 / (1 - rate)
        for i in 0..<m.count { m.pointer[i] = random.unit() < rate ? 0 : keep }
        mask = m
        return try x * m
    }

    public func backward(_ g: Tensor, needInputGradient: Bool) throws -> Tensor? {
        guard needInputGradient else { mask = nil; return nil }
        defer { mask = nil }
        guard let mask else { return g }
        return try g * mask
    }
}

/// [batch, d1, d2, …] → [batch, d1 × d2 × …].
public final class Flatten: Layer {
    public var isFrozen = false
    private var inputShape: [Int]?
    public init() {}
    public var name: String { "Flatten" }
    public var parameters: [Parameter] { [] }
    public var spec: LayerSpec { LayerSpec(kind: "Flatten") }

    public func outputShape(for input: [Int]) throws -> [Int] {
        guard let n = input.first else { throw ShapeError("Flatten needs a batch axis, got a scalar") }
        return [n, input.dropFirst().reduce(1, *)]
    }

    public func forward(_ x: Tensor, training: Bool) throws -> Tensor {
        inputShape = x.shape
        return try x.reshaped(outputShape(for: x.shape))
    }

    public func backward(_ g: Tensor, needInputGradient: Bool) throws -> Tensor? {
        guard needInputGradient else { return nil }
        return try g.reshaped(requireCachedShape())
    }

    private func requireCachedShape() throws -> [Int] {
        guard let inputShape else { throw InvalidArgument("Flatten: backward pass without a forward pass") }
        return inputShape
    }
}
