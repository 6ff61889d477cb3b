/// An error as every front end shows it, made once by the presenter
/// (`CellLanguage.ErrorPresenter`) from a typed cell error.
public struct PresentedError: Equatable, Sendable {
    /// The error's kind as learners read it: `NameError`, `ShapeError`, `SandboxError`…
    public var ename: String
    /// One sentence.
    public var evalue: String
    /// Compiler-style lines: `cell:LINE:COLUMN: error: KIND: message`, the
    /// cell's line, a caret under the place, notes. Jupyter's `traceback`.
    public var traceback: [String]
    /// Where the error starts in the text of the cell that was run (a UTF-8
    /// offset); nil when it has no place there (an earlier cell's function,
    /// an interrupt).
    public var offset: Int?

    public init(ename: String, evalue: String, traceback: [String], offset: Int? = nil) {
        self.ename = ename
        self.evalue = evalue
        self.traceback = traceback
        self.offset = offset
    }

    /// What `shoal exec` prints: the traceback's lines.
    public var text: String { traceback.joined(separator: "\n") }

    /// The line grading feedback shows: a failed check's own message, or the
    /// error's name and sentence.
    public var feedbackLine: String { ename == "CheckFailed" ? evalue : "\(ename): \(evalue)" }
}

/// What running one cell produced besides its streamed output.
public struct ExecutionResult: Sendable {
    /// The display of the cell's last expression, when it had a value.
    public var value: Display?
    public var error: PresentedError?

    public init(value: Display? = nil, error: PresentedError? = nil) {
        self.value = value
        self.error = error
    }

    public var succeeded: Bool { error == nil }
}
