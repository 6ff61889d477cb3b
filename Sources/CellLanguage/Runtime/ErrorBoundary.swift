import Foundation
import KernelMemory

/// The kind a learner should see an error from outside the language as (the
/// engine, image decoding, model files), and its sentence; nil for errors
/// the table does not know. Practice's `ErrorTable.swift` is the one table.
public typealias ErrorTable = (Error) -> (kind: ErrorKind, message: String)?

/// The error boundary. Whatever a builtin call throws — a `CellError`, an
/// engine error, a file-system error — becomes a `CellError` with its kind
/// and the place of the call, here and nowhere else; `Session` runs anything
/// that escapes a cell through it too.
public enum ErrorBoundary {
    /// `error` as a cell error at `range` (an error that has a place keeps
    /// it), with the kinds of `registry`'s error table.
    public static func cellError(_ error: Error, at range: SourceRange, _ registry: BuiltinRegistry) -> CellError {
        if let e = error as? CellError { return e.located(range) }
        if let t = error as? ThrownValue { return t.uncaught }
        if let refusal = error as? MemoryRefusal { return Memory.refused(refusal, "this call", at: range) }
        if let (kind, message) = registry.errorTable?(error) { return CellError(kind, message, at: range) }
        switch error {
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
