import Foundation

/// How the learning rate changes from epoch to epoch.
public enum LearningRateSchedule: Equatable, Sendable {
    case constant
    /// Multiplied by `factor` every `every` epochs.
    case step(every: Int, factor: Float)
    /// Half a cosine from the base rate down to `minimum` over `epochs`.
    case cosine(epochs: Int, minimum: Float)

    /// The rate for epoch `epoch` (counted from 0).
    public func rate(base: Float, epoch: Int) -> Float {
        switch self {
        case .constant: return base
        case .step(let every, let factor):
            return base * Float(Foundation.pow(Double(factor), Double(epoch / max(every, 1))))
        case .cosine(let epochs, let minimum):
            let t = min(Double(epoch) / Double(max(epochs, 1)), 1)
            return minimum + (base - minimum) * Float(0.5 * (1 + cos(.pi * t)))
        }
    }
}

/// Updates parameters from their gradients. Frozen layers' parameters are
/// never passed in. Per-parameter state (momentum, moments) is kept by identity.
public protocol Optimizer: AnyObject {
    var learningRate: Float { get set }
    var name: String { get }
    func update(_ parameters: [Parameter]) throws
}

final class SlotStore {
    private var slots: [ObjectIdentifier: [Tensor]] = [:]
    func slots(for p: Parameter, count: Int) throws -> [Tensor] {
        if let s = slots[ObjectIdentifier(p)] { return s }
        let s = try (0..<count).map { _ in try Tensor(zeros: p.value.shape) }
        slots[ObjectIdentifier(p)] = s
        return s
    }
    func store(_ s: [Tensor], for p: Parameter) { slots[ObjectIdentifier(p)] = s }
}

/// Stochastic gradient descent, with optional momentum (PyTorch's form:
/// `v = μv + g`), Nesterov momentum and L2 weight decay.
public final class SGD: Optimizer {
    public var learningRate: Float
    public let momentum: Float
    public let nesterov: Bool
    public let weightDecay: Float
    private let state = SlotStore()

    public init(learningRate: Float = 0.01, momentum: Float = 0, nesterov: Bool = false, weightDecay: Float = 0) throws {
        guard learningRate > 0, momentum >= 0, momentum < 1, weightDecay >= 0 else {
            throw InvalidArgument("SGD needs a positive learning rate, momentum in [0, 1) and non-negative weight decay")
        }
        if nesterov && momentum == 0 { throw InvalidArgument("Nesterov momentum needs a momentum above 0") }
        (self.learningRate, self.momentum, self.nesterov, self.weightDecay) = (learningRate, momentum, nesterov, weightDecay)
    }

    public var name: String { momentum > 0 ? (nesterov ? "SGD (Nesterov)" : "SGD with momentum") : "SGD" }

    public func update(_ parameters: [Parameter]) throws {
        let lr = learningRate, mu = momentum, wd = weightDecay
        for p in parameters {
            let w = p.mutableValue, g = p.gradient.pointer, n = p.count
            if mu == 0 {
                if wd == 0 { vaxpy(-lr, g, w, n) } else { sgdStep(w, g, n, learningRate: lr, weightDecay: wd) }
                continue
            }
            var s = try state.slots(for: p, count: 1)
            s[0].makeUnique()
            sgdMomentumStep(w, g, s[0].pointer, n, learningRate: lr, momentum: mu, weightDecay: wd, nesterov: nesterov)
            state.store(s, for: p)
        }
    }
}

/// Adam (Kingma & Ba) with bias correction; `decoupledWeightDecay` makes it
/// AdamW (Loshchilov & Hutter), otherwise weight decay is added to the gradient.
public final class Adam: Optimizer {
    public var learningRate: Float
    public let beta1, beta2, epsilon, weightDecay: Float
    public let decoupledWeightDecay: Bool
    private var step = 0
    private let state = SlotStore()

    public init(learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
                weightDecay: Float = 0, decoupledWeightDecay: Bool = false) throws {
        guard learningRate > 0, (0..<1).contains(beta1), (0..<1).contains(beta2), epsilon > 0, weightDecay >= 0 else {
            throw InvalidArgument("Adam needs a positive learning rate and epsilon, betas in [0, 1) and non-negative weight decay")
        }
        (self.learningRate, self.beta1, self.beta2, self.epsilon, self.weightDecay, self.decoupledWeightDecay) =
            (learningRate, beta1, beta2, epsilon, weightDecay, decoupledWeightDecay)
    }

    /// AdamW: Adam with decoupled weight decay (PyTorch's default decay 0.01).
    public static func adamW(learningRate: Float = 0.001, weightDecay: Float = 0.01) throws -> Adam {
        try Adam(learningRate: learningRate, weightDecay: weightDecay, decoupledWeightDecay: true)
    }

    public var name: String { decoupledWeightDecay ? "AdamW" : "Adam" }

    public func update(_ parameters: [Parameter]) throws {
        step += 1
        let lr = learningRate, b1 = beta1, b2 = beta2, eps = epsilon, wd = weightDecay
        let c1 = 1 - Foundation.pow(b1, Float(step)), c2 = 1 - Foundation.pow(b2, Float(step))
        let stepSize = lr / c1, rootC2 = c2.squareRoot()
        for p in parameters {
            var s = try state.slots(for: p, count: 2)
            s[0].makeUnique(); s[1].makeUnique()
            adamStep(p.mutableValue, p.gradient.pointer, s[0].pointer, s[1].pointer, p.count, learningRate: lr,
                     beta1: b1, beta2: b2, epsilon: eps, weightDecay: wd, decoupled: decoupledWeightDecay,
                     stepSize: stepSize, rootCorrection: rootC2)
            state.store(s, for: p)
        }
    }
}
