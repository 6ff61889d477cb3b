import Foundation

/// An error from outside the language (the engine, image decoding, model
/// files) that says which kind a learner should see it as. Practice's
/// `ErrorTable.swift` gives every such error type its kind: the one table.
public protocol LearnerFacingError: Error {
    /// The kind the learner reads (`ShapeError`, `ResourceLimit`, `FileError`…).
    var kind: ErrorKind { get }
    /// One sentence saying what happened and what to change.
    var learnerMessage: String { get }
}

/// The error boundary. Whatever a builtin call throws — a `CellError`, an
/// engine error, a file-system error — becomes a `CellError` with its kind
/// and the place of the call, here and nowhere else; `Session` runs anything
/// that escapes a cell through it too.
public enum ErrorBoundary {
    /// `error` as a cell error at `range` (an error that has a place keeps it).
    public static func cellError(_ error: Error, at range: SourceRange) -> CellError {
        switch error {
        case let e as CellError:
            return e.located(range)
        case let e as LearnerFacingError:
            return CellError(e.kind, e.learnerMessage, at: range)
        case let e as CocoaError where e.isFileError:
            return CellError(.fileError, e.localizedDescription, at: range)
        default:
            return CellError(.valueError, "\(error)", at: range)
        }
    }
}

extension CocoaError {
    fileprivate var isFileError: Bool {
        (CocoaError.Code.fileNoSuchFile.rawValue...CocoaError.Code.fileWriteVolumeReadOnly.rawValue).contains(code.rawValue)
    }
}
