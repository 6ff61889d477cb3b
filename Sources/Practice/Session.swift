import CellIO
import CellLanguage
import Foundation
import KernelMemory

/// One notebook's state: its globals, its random generator, its limits.
/// The kernel, `shoal exec`, grading and headless lesson runs all drive cells
/// through a Session.
public final class Session {
    public let interpreter: Interpreter
    /// Set by another thread to interrupt the running cell.
    public var cancellation: CancellationToken { interpreter.runtime.cancellation }
    public var limits: Limits {
        get { interpreter.runtime.limits }
        set { interpreter.runtime.limits = newValue }
    }
    /// The name shown in error locations (`cell`, or a file name).
    public var sourceName = "cell"
    /// The line offset each cell was run with, for errors shown against it later.
    private var lineOffsets: [Int: Int] = [:]
    /// Cells run on this thread, whose stack is large enough for deep recursion.
    let worker = LargeStack()
    /// The thread the cells run on; `run` called on it runs at once.
    public var cellThread: JobThread { worker.thread }

    /// Whether a cell's last value is turned into its display (charts drawn,
    /// tables laid out). Headless grading turns this off: nobody looks.
    public var showsResults = true

    /// Builtin names the notebook's cells declared (`func check`), in order:
    /// each is noted once, in the cell that first declares it.
    public private(set) var shadowedBuiltins: [String] = []

    public init(registry: BuiltinRegistry? = nil, limits: Limits = Limits(), sandbox: URL? = nil) {
        interpreter = Interpreter(registry: registry ?? Session.makeRegistry(), output: NullSink(), limits: limits)
        interpreter.runtime.sandbox = sandbox
    }

    /// The registry with the core language and the lesson vocabulary.
    public static func makeRegistry() -> BuiltinRegistry {
        let r = BuiltinRegistry.core()
        PracticeBuiltins.register(in: r)
        return r
    }

    /// Runs one cell, sending its output to `sink`.
    ///
    /// - Parameters:
    ///   - lineOffset: added to error line numbers (for cells inside a file).
    ///   - builtinsFirst: Shoal's builtins before the notebook's own names (a grader's checks).
    public func execute(_ code: String, sink: OutputSink, lineOffset: Int = 0, builtinsFirst: Bool = false) -> ExecutionResult {
        let output = LimitedOutput(sink, limits: limits)
        interpreter.runtime.output = output
        defer {
            output.finish()
            interpreter.runtime.output = NullSink()
        }
        cancellation.reset()
        let refusals = MemoryBudget.refusals
        let interpreter = self.interpreter
        let outcome: Result<Value?, CellError> = worker.run {
            do {
                return .success(try interpreter.run(code, builtinsFirst: builtinsFirst))
            } catch {
                return .failure(ErrorBoundary.cellError(error, at: .unknown, interpreter.registry))
            }
        }
        if lineOffset != 0 { lineOffsets[interpreter.cellNumber] = lineOffset }   // read as 0 when absent
        let shadowed = interpreter.lastShadowedBuiltins.filter { !shadowedBuiltins.contains($0) }
        if !shadowed.isEmpty {
            shadowedBuiltins += shadowed
            output.write(Session.shadowingNote(shadowed) + "\n", to: .stderr)
        }
        switch outcome {
        case .success(let v):
            return ExecutionResult(value: showsResults ? v.map(Session.display(for:)) : nil, error: nil)
        case .failure(let e):
            // What the cell held until it stopped is free now: give it back
            // to the system, so that the next cell starts from what is kept.
            if MemoryBudget.refusals != refusals { MemoryBudget.reclaim() }
            return ExecutionResult(value: nil, error: present(e, source: code, lineOffset: lineOffset))
        }
    }

    /// The one line a cell that declares builtin names gets: "note: 'check'
    /// is the name of a Shoal builtin: this notebook's cells now use yours,
    /// but a grader's checks always use Shoal's own."
    public static func shadowingNote(_ names: [String]) -> String {
        let quoted = names.map { "'\($0)'" }
        let list = quoted.count == 1 ? quoted[0] : quoted.dropLast().joined(separator: ", ") + " and " + quoted.last!
        let what = names.count == 1 ? "is the name of a Shoal builtin" : "are names of Shoal builtins"
        return "note: \(list) \(what): this notebook's cells now use yours, but a grader's checks always use Shoal's own."
    }

    /// Turns an error into ename/evalue/traceback. An error inside a function
    /// defined in an earlier cell is shown against that cell's line.
    public func present(_ e: CellError, source: String, lineOffset: Int = 0) -> PresentedError {
        let cell = e.range.cell
        if cell != 0, cell != interpreter.cellNumber, let earlier = interpreter.source(ofCell: cell) {
            let presenter = ErrorPresenter(sourceName: sourceName == "cell" ? "earlier cell" : sourceName,
                                           lineOffset: lineOffsets[cell] ?? 0)
            return presenter.present(e, source: earlier, inRunCell: false)
        }
        return ErrorPresenter(sourceName: sourceName, lineOffset: lineOffset).present(e, source: source)
    }

    /// The richest display of a value, always with `text/plain`.
    public static func display(for value: Value) -> Display { value.display }
}

extension Session {
    /// Completions at a cursor (Unicode scalar offset).
    public func complete(_ code: String, cursor: Int) -> Completion { interpreter.complete(code, cursor: cursor) }

    /// Signature and documentation, or type and value, of the name at a cursor.
    public func inspect(_ code: String, cursor: Int) -> Inspection? { interpreter.inspect(code, cursor: cursor) }

    /// `complete`, `incomplete` with an indent, or `invalid`.
    public func isComplete(_ code: String) -> IsCompleteStatus { interpreter.isComplete(code) }

    /// Whether `code` is whole statements (no open brace, bracket or string).
    public func isCompleteCode(_ code: String) -> Bool {
        if case .complete = isComplete(code) { return true }
        return false
    }
}
