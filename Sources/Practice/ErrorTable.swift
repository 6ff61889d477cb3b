import CellLanguage
import Datasets
import ModelExport
import Rendering
import TrainingEngine

extension PracticeBuiltins {
    /// The one table from the engine's, the image code's and the renderer's
    /// errors to the kinds learners read. The registry hands it to
    /// `ErrorBoundary`, which applies it to whatever a builtin throws, at the
    /// place of the call; a new error type gets its line here.
    static func learnerError(_ error: Error) -> (kind: ErrorKind, message: String)? {
        switch error {
        case let e as ShapeError: return (.shapeError, e.message)
        case let e as ResourceLimit: return (.resourceLimit, e.message)
        case let e as InvalidArgument: return (.valueError, e.message)
        case let e as ModelFileError: return (.fileError, e.message)
        case let e as ImageError: return (.fileError, e.message)
        case let e as RenderError: return (.valueError, e.message)
        case let e as NotExplainable: return (.valueError, e.message)
        case let e as TrainingCancelled: return (.interrupted, e.description)
        case let e as ExportError: return (.valueError, e.message)
        case is ExportCancelled: return (.interrupted, "the export was interrupted; nothing was written")
        default: return nil
        }
    }
}
