import CellLanguage
import Datasets
import Rendering
import TrainingEngine

// The one table from the engine's and the image code's errors to the kinds
// learners read. `ErrorBoundary` (CellLanguage) applies it to whatever a
// builtin throws, with the place of the call; a new engine error type gets
// its line here.

extension ShapeError: LearnerFacingError {
    public var kind: ErrorKind { .shapeError }
    public var learnerMessage: String { message }
}

extension ResourceLimit: LearnerFacingError {
    public var kind: ErrorKind { .resourceLimit }
    public var learnerMessage: String { message }
}

extension InvalidArgument: LearnerFacingError {
    public var kind: ErrorKind { .valueError }
    public var learnerMessage: String { message }
}

extension ModelFileError: LearnerFacingError {
    public var kind: ErrorKind { .fileError }
    public var learnerMessage: String { message }
}

extension ImageError: LearnerFacingError {
    public var kind: ErrorKind { .fileError }
    public var learnerMessage: String { message }
}

extension RenderError: LearnerFacingError {
    public var kind: ErrorKind { .valueError }
    public var learnerMessage: String { message }
}

extension TrainingCancelled: LearnerFacingError {
    public var kind: ErrorKind { .interrupted }
    public var learnerMessage: String { description }
}
