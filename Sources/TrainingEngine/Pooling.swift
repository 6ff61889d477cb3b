import Foundation

/// The window of a pooling layer: its size, stride and padding, and what
/// follows from them (name, saved description, geometry on an input).
struct PoolWindow {
    let kind: String
    let size, stride: Int
    let padding: Padding

    init(kind: String, size: Int, stride: Int?, padding: Padding) throws {
        guard size > 0, (stride ?? size) > 0 else { throw InvalidArgument("\(kind) needs a positive size and stride") }
        (self.kind, self.size, self.stride, self.padding) = (kind, size, stride ?? size, padding)
    }

    var name: String { "\(kind) \(size)×\(size)" }
    var spec: LayerSpec { LayerSpec(kind: kind, ints: ["size": size, "stride": stride], strings: ["padding": padding.description]) }

    func geometry(_ shape: [Int]) throws -> WindowGeometry {
        try WindowGeometry(input: shape, kernel: (size, size), stride: stride, padding: padding, layer: name)
    }
}

/// What both pooling layers read off their window.
protocol WindowedPooling: Layer {
    var window: PoolWindow { get }
}

extension WindowedPooling {
    public var size: Int { window.size }
    public var stride: Int { window.stride }
    public var padding: Padding { window.padding }
    public var name: String { window.name }
    public var parameters: [Parameter] { [] }
    public var spec: LayerSpec { window.spec }
    func geometry(_ shape: [Int]) throws -> WindowGeometry { try window.geometry(shape) }
    public func outputShape(for input: [Int]) throws -> [Int] { try geometry(input).outputShape }
}

/// The largest value in each window, per channel. Training remembers which
/// window position won for each output (eight channels at a time), so that
/// the backward pass routes each gradient to its winner without a scatter.
public final class MaxPool: WindowedPooling {
    let window: PoolWindow
    public var isFrozen = false
    /// Which window position won each output (written whole by every forward pass in training).
    private var winners: Tensor?
    private var inputShape: [Int]?

    public init(size: Int = 2, stride: Int? = nil, padding: Padding = .valid) throws {
        window = try PoolWindow(kind: "MaxPool", size: size, stride: stride, padding: padding)
    }

    public func forward(_ x: Tensor, training: Bool) throws -> Tensor {
        try forward(x, training: training, rectify: false)
    }

    /// With `rectify`, a ReLU after the pool in the same pass (`Sequential`
    /// fuses the pair in training): relu(max(window)), with no gradient where
    /// the maximum is not positive.
    func forward(_ x: Tensor, training: Bool, rectify: Bool) throws -> Tensor {
        let g = try geometry(x.shape)
        let out = try Tensor(uninitialized: g.outputShape)
        winners = training ? try Tensor(uninitialized: out.shape) : nil
        let (xp, o, winner) = (x.pointer, out.pointer, winners?.pointer)
        Engine.parallelFor(g.batch) { images in maxPoolForward(xp, o, winners: winner, g, images: images, rectify: rectify) }
        inputShape = training ? x.shape : nil
        return out
    }

    /// What a training pass that ran this pool inside a convolution (`Conv2D.pooledForward`) keeps for its backward pass.
    func remember(winners: Tensor, inputShape: [Int]) {
        (self.winners, self.inputShape) = (winners, inputShape)
    }

    /// The winners of the last training pass, for `Conv2D.pooledBackward` (once).
    func takeWinners() throws -> Tensor {
        guard inputShape != nil, let kept = winners else {
            throw InvalidArgument("\(name): backward pass without a training forward pass")
        }
        (winners, inputShape) = (nil, nil)
        return kept
    }

    public func backward(_ gy: Tensor, needInputGradient: Bool) throws -> Tensor? {
        guard let shape = inputShape else { throw InvalidArgument("\(name): backward pass without a training forward pass") }
        inputShape = nil
        guard needInputGradient else { return nil }
        let g = try geometry(shape)
        guard gy.shape == g.outputShape, let winners, winners.count == gy.count else {
            throw ShapeError("\(name) backward expects a gradient of shape \(shapeText(g.outputShape)), got \(shapeText(gy.shape))")
        }
        let dx = try Tensor(uninitialized: shape)
        let (gp, d) = (gy.pointer, dx.pointer)
        let winner = winners.pointer
        self.winners = nil
        Engine.parallelFor(g.batch) { images in maxPoolBackward(gp, winners: winner, d, g, images: images) }
        return dx
    }
}

/// The mean of each window, per channel (over the pixels inside the image,
/// as TensorFlow does for "same" padding).
public final class AveragePool: WindowedPooling {
    let window: PoolWindow
    public var isFrozen = false
    private var inputShape: [Int]?

    public init(size: Int = 2, stride: Int? = nil, padding: Padding = .valid) throws {
        window = try PoolWindow(kind: "AveragePool", size: size, stride: stride, padding: padding)
    }

    public func forward(_ x: Tensor, training: Bool) throws -> Tensor {
        let g = try geometry(x.shape)
        let out = try Tensor(uninitialized: g.outputShape)
        let (xp, o) = (x.pointer, out.pointer)
        Engine.parallelFor(g.batch) { images in averagePoolForward(xp, o, g, images: images) }
        inputShape = training ? x.shape : nil
        return out
    }

    public func backward(_ gy: Tensor, needInputGradient: Bool) throws -> Tensor? {
        guard let shape = inputShape else { throw InvalidArgument("\(name): backward pass without a training forward pass") }
        inputShape = nil
        guard needInputGradient else { return nil }
        let g = try geometry(shape)
        guard gy.shape == g.outputShape else {
            throw ShapeError("\(name) backward expects a gradient of shape \(shapeText(g.outputShape)), got \(shapeText(gy.shape))")
        }
        let dx = try Tensor(uninitialized: shape)
        let (gp, d) = (gy.pointer, dx.pointer)
        Engine.parallelFor(g.batch) { images in averagePoolBackward(gp, d, g, images: images) }
        return dx
    }
}

/// [batch, height, width, channels] → [batch, channels]: the mean of each channel.
public final class GlobalAveragePool: Layer {
    public var isFrozen = false
    private var inputShape: [Int]?
    public init() {}
    public var name: String { "GlobalAveragePool" }
    public var parameters: [Parameter] { [] }
    public var spec: LayerSpec { LayerSpec(kind: "GlobalAveragePool") }

    public func outputShape(for input: [Int]) throws -> [Int] {
        try checkRank(input, 4, name, "images [batch, height, width, channels]")
        return [input[0], input[3]]
    }

    public func forward(_ x: Tensor, training: Bool) throws -> Tensor {
        let shape = try outputShape(for: x.shape)
        let (n, pixels, c) = (x.shape[0], x.shape[1] * x.shape[2], x.shape[3])
        let out = try Tensor(uninitialized: shape)
        let (xp, o) = (x.pointer, out.pointer)
        Engine.parallelFor(n, grain: 4) { images in globalAverageForward(xp, o, pixels: pixels, channels: c, images: images) }
        inputShape = training ? x.shape : nil
        return out
    }

    public func backward(_ g: Tensor, needInputGradient: Bool) throws -> Tensor? {
        guard let shape = inputShape else { throw InvalidArgument("\(name): backward pass without a training forward pass") }
        inputShape = nil
        guard needInputGradient else { return nil }
        let (n, pixels, c) = (shape[0], shape[1] * shape[2], shape[3])
        guard g.shape == [n, c] else {
            throw ShapeError("\(name) backward expects a gradient of shape \(shapeText([n, c])), got \(shapeText(g.shape))")
        }
        let dx = try Tensor(uninitialized: shape)
        let (gp, d) = (g.pointer, dx.pointer)
        Engine.parallelFor(n, grain: 4) { images in globalAverageBackward(gp, d, pixels: pixels, channels: c, images: images) }
        return dx
    }
}
