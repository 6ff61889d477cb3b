/// A half-open range of UTF-8 offsets into a cell's source.
public struct SourceRange: Equatable, Sendable {
    public var start: Int
    public var end: Int
    /// The run of the cell whose text the offsets are in (0: the cell being
    /// run), so that an error inside a function from an earlier cell points
    /// at that cell's line.
    public var cell: Int

    public init(start: Int, end: Int, cell: Int = 0) {
        self.start = start
        self.end = max(start, end)
        self.cell = cell
    }

    public static let unknown = SourceRange(start: -1, end: -1)
    public var isKnown: Bool { start >= 0 }
}

/// The names users see for each kind of failure (Jupyter's `ename`).
public enum ErrorKind: String, Sendable, CaseIterable {
    case syntaxError = "SyntaxError"
    case unsupported = "UnsupportedSyntax"
    case nameError = "NameError"
    case typeError = "TypeError"
    case valueError = "ValueError"
    case indexError = "IndexError"
    case keyError = "KeyError"
    case zeroDivisionError = "ZeroDivisionError"
    case overflowError = "OverflowError"
    case nilError = "NilError"
    case shapeError = "ShapeError"
    case inputError = "InputError"
    case checkFailed = "CheckFailed"
    case fileError = "FileError"
    case sandboxError = "SandboxError"
    case resourceLimit = "ResourceLimit"
    case interrupted = "Interrupted"
    /// A value thrown with `throw` that no `catch` caught, or `try!` met.
    case uncaughtError = "UncaughtError"
    /// `fatalError`, a failed `precondition` or `assert`: the cell stops, as
    /// a Swift program would (the kernel goes on).
    case fatalError = "FatalError"
}

/// Every failure a cell can cause: a kind, one sentence, and where it happened.
public struct CellError: Error, CustomStringConvertible, Sendable {
    public var kind: ErrorKind
    public var message: String
    public var range: SourceRange
    /// Extra lines shown after the caret, e.g. the expected signature.
    public var notes: [String]
    /// Further diagnostics reported together with this one (parse errors).
    public var related: [CellError]

    public init(_ kind: ErrorKind, _ message: String, at range: SourceRange = .unknown,
                notes: [String] = [], related: [CellError] = []) {
        self.kind = kind
        self.message = message
        self.range = range
        self.notes = notes
        self.related = related
    }

    public var description: String { "\(kind.rawValue): \(message)" }

    /// This error with a location, unless it already has one.
    func located(_ range: SourceRange) -> CellError {
        if self.range.isKnown { return self }
        var copy = self
        copy.range = range
        return copy
    }
}

extension CellError {
    /// Where Swift would stop with "Fatal error: Unexpectedly found nil" (`x!`, `d[k]!.append(v)`).
    static func foundNil(at range: SourceRange, notes: [String] = []) -> CellError {
        CellError(.nilError, "unexpectedly found nil while unwrapping an Optional value", at: range, notes: notes)
    }

    public static func type(_ message: String, at range: SourceRange = .unknown, notes: [String] = []) -> CellError {
        CellError(.typeError, message, at: range, notes: notes)
    }
    public static func value(_ message: String, at range: SourceRange = .unknown) -> CellError {
        CellError(.valueError, message, at: range)
    }
    /// A notebook-level name read, assigned or called before its declaration has run.
    static func usedBeforeDeclared(_ name: String, at range: SourceRange) -> CellError {
        CellError(.nameError, "'\(name)' is used before it is declared", at: range)
    }
}
