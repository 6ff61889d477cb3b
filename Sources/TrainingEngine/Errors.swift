/// Errors the engine throws. Each one says what a learner can change; none of
/// them leaves a model or dataset half-updated.

/// Two tensors (or a tensor and a layer) disagree about shape.
public struct ShapeError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// An allocation would go past the kernel's memory budget (see `TensorMemory`).
public struct ResourceLimit: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// An argument outside what an operation accepts (a negative batch size, a
/// split whose fractions do not add up, a label outside the classes).
public struct InvalidArgument: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A model file that cannot be read, or whose contents do not fit the model.
public struct ModelFileError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Training stopped because its cancellation check said so (an interrupt).
/// The history of the epochs that finished is kept.
public struct TrainingCancelled: Error, CustomStringConvertible {
    public let history: History
    public var description: String {
        "training interrupted after \(history.epochs.count) complete epoch(s)"
    }
}

func shapeText(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }
