/// A trainable tensor and the gradient the last backward pass left for it.
public final class Parameter {
    public let name: String
    public var value: Tensor
    /// Zero before the first backward pass; summed over the batch.
    public var gradient: Tensor

    public init(name: String, value: Tensor) throws {
        self.name = name
        self.value = value
        gradient = try Tensor(zeros: value.shape)
    }

    public var count: Int { value.count }

    /// The gradient's storage, made unique first so that a copy someone kept
    /// never changes under them.
    var mutableGradient: UnsafeMutablePointer<Float> { gradient.makeUnique(); return gradient.pointer }
    var mutableValue: UnsafeMutablePointer<Float> { value.makeUnique(); return value.pointer }
}

/// The description of a layer that a model file stores so that the model can
/// be rebuilt without its code (see `Sequential.init(specs:)`).
public struct LayerSpec: Codable, Equatable, Sendable {
    public var kind: String
    public var ints: [String: Int] = [:]
    public var floats: [String: Float] = [:]
    public var strings: [String: String] = [:]
    public var children: [LayerSpec]? = nil

    public init(kind: String, ints: [String: Int] = [:], floats: [String: Float] = [:],
                strings: [String: String] = [:], children: [LayerSpec]? = nil) {
        self.kind = kind; self.ints = ints; self.floats = floats; self.strings = strings; self.children = children
    }
}

/// A layer: its forward pass and, beside it, the backward pass that turns the
/// gradient of the loss with respect to its output into gradients for its
/// parameters and its input. A layer remembers what its last training
/// forward pass needs for the backward pass.
public protocol Layer: AnyObject {
    /// A short name for summaries ("Dense", "Conv2D 3×3").
    var name: String { get }
    /// The layer's own parameters (empty for activations and pooling).
    var parameters: [Parameter] { get }
    /// Tensors saved with the model that are not trained by gradients
    /// (batch norm's running statistics).
    var buffers: [(String, Tensor)] { get }
    func setBuffer(_ name: String, _ value: Tensor) throws
    /// A frozen layer computes no parameter gradients and is not updated.
    var isFrozen: Bool { get set }
    func outputShape(for input: [Int]) throws -> [Int]
    func forward(_ input: Tensor, training: Bool) throws -> Tensor
    /// Accumulates parameter gradients (unless frozen) and returns the
    /// gradient with respect to the input, or nil when `needInputGradient` is false.
    func backward(_ gradient: Tensor, needInputGradient: Bool) throws -> Tensor?
    var spec: LayerSpec { get }
}

extension Layer {
    public var buffers: [(String, Tensor)] { [] }
    public func setBuffer(_ name: String, _ value: Tensor) throws {
        throw ShapeError("\(self.name) has no saved state named \(name)")
    }
    public var trainableParameterCount: Int { isFrozen ? 0 : parameters.reduce(0) { $0 + $1.count } }
    public var frozenParameterCount: Int { isFrozen ? parameters.reduce(0) { $0 + $1.count } : 0 }
}

/// The state a layer keeps between forward and backward.
func requireCached(_ value: Tensor?, _ layer: String) throws -> Tensor {
    guard let value else {
        throw InvalidArgument("\(layer): backward pass without a training forward pass before it")
    }
    return value
}

func checkRank(_ shape: [Int], _ rank: Int, _ layer: String, _ what: String) throws {
    guard shape.count == rank else {
        throw ShapeError("\(layer) expects \(what) (rank \(rank)), but got shape \(shapeText(shape))")
    }
}
