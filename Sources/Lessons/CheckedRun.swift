import CellIO
import CellLanguage
import Foundation
import Practice

/// One check of an exercise as the grader ran it: its message and whether it held.
public struct CheckOutcome: Equatable, Sendable {
    /// The check's message (its last string literal), or "check N".
    public let label: String
    public let passed: Bool
    public let hidden: Bool
    /// Why it failed: the check's message, or the error that stopped it.
    public let problem: String?
}

/// The cells a run went through, with the names each declares and uses and
/// the error it stopped with: a failed check's causes are traced by names
/// (the check uses `total`, cell 4 declares `total`, cell 4 stopped because
/// of `base`, cell 3 declares `base` and reached the time limit).
struct CellTrace {
    struct Entry {
        let number: Int?
        let source: String
        let names: CellNames
        let stopped: PresentedError?
    }
    private(set) var cells: [Entry] = []
    /// The names the lesson's own cells (not its exercises) declare, with
    /// the texts of the cells that declare them: what checks may rely on.
    let lessonNames: [String: Set<String>]

    init(lessonNames: [String: Set<String>] = [:]) { self.lessonNames = lessonNames }

    /// Name → the texts of the notebook's code cells, exercises excepted,
    /// that declare it; names an exercise's answer declares too are the
    /// student's to declare, wherever the lesson declares them as well.
    static func lessonNames(of notebook: Notebook) -> [String: Set<String>] {
        var out: [String: Set<String>] = [:]
        var answered: Set<String> = []
        for cell in notebook.cells where cell.isCode {
            guard cell.exerciseID == nil else {
                let answer = (try? ExerciseText(cell.source, cell: 0).withoutHiddenChecks) ?? cell.source
                answered.formUnion(CellNames(answer).declared)
                continue
            }
            for name in CellNames(cell.source).declared { out[name, default: []].insert(cell.source) }
        }
        for name in answered { out[name] = nil }
        return out
    }

    mutating func ran(_ source: String, number: Int?, error: PresentedError?) {
        cells.append(Entry(number: number, source: source, names: CellNames(source), stopped: error))
    }

    /// A lesson name among `used` whose declaration in effect is not the
    /// lesson's own (a student's cell declared it again), with that cell.
    func redeclared(_ used: Set<String>) -> (name: String, cell: Int?)? {
        for name in used.sorted() {
            guard let texts = lessonNames[name],
                  let last = cells.last(where: { $0.names.declared.contains(name) }),
                  !texts.contains(last.source) else { continue }
            return (name, last.number)
        }
        return nil
    }

    /// The cells that stopped and declare the names `used` (the last such
    /// declaration before each use), each preceded by its own causes: the
    /// root cause first, then its consequences.
    func causes(of used: Set<String>) -> [String] {
        var out: [String] = []
        var seen = Set<Int>()
        func visit(_ names: Set<String>, before end: Int) {
            for name in names.sorted() {
                guard let i = cells[..<end].lastIndex(where: { $0.names.declared.contains(name) }),
                      let error = cells[i].stopped, seen.insert(i).inserted else { continue }
                visit(cells[i].names.used, before: i)
                out.append(CheckedRun.stopped(cell: cells[i].number, error))
            }
        }
        visit(used, before: cells.count)
        return out
    }
}

/// Grading an exercise check by check: the submission's cell runs as the
/// student wrote it (any hidden checks it carries taken out), then each of
/// the instructor's checks (those students see, then the hidden ones) runs
/// on its own, so that the feedback can say which held and which did not,
/// and an error in the student's own code is shown with its caret.
/// The exercise scores when the cell ran without an error and every check held.
enum CheckedRun {
    /// Grades one exercise cell. A check that did not hold or could not run
    /// first names what went wrong before it, a cause before its
    /// consequences: the cells that declare the names it uses and stopped
    /// (traced through the names those cells use, `trace`), or else the
    /// exercise cell's own error, such as a time limit reached in cell 3
    /// before "cannot find 'model'".
    static func grade(cell: Cell, exercise: Exercise, session: Session, sink: OutputSink,
                      number: Int? = nil, trace: inout CellTrace) -> (row: ExerciseResult, ownError: PresentedError?) {
        let code = (try? ExerciseText(cell.source, cell: 0).withoutHiddenChecks) ?? cell.source
        let own = session.execute(code, sink: sink)
        let message = own.error?.feedbackLine
        let ownFailure = own.error.flatMap { $0.ename == "CheckFailed" ? nil : $0 }
        trace.ran(code, number: number, error: ownFailure)
        // What the instructor's answer declares is the student's to declare.
        let solutionNames = CellNames(exercise.text.withoutHiddenChecks).declared
        var checks: [CheckOutcome] = []
        let statements = checkStatements(visible: visibleChecks(exercise.text.studentSource, session: session),
                                         hidden: exercise.text.hiddenChecks, session: session)
        for (i, statement) in statements.enumerated() {
            let label = checkLabel(statement.text) ?? "check \(i + 1)"
            // Shoal's own `check` and builtins, whatever the submission declared.
            let result = session.execute(statement.text, sink: sink, builtinsFirst: true)
            var problem = result.error.map { $0.ename == "CheckFailed" ? $0.evalue : "could not run: " + $0.feedbackLine }
            let used = CellNames(statement.text).used
            // A check that relies on a name the lesson set, which the submission declared again, does not hold.
            if let (name, cell) = trace.redeclared(used.subtracting(solutionNames)) {
                let place = cell.map { "cell \($0)" } ?? "your code"
                problem = "it uses " + redeclared(name, place: place) + (problem.map { "; then " + $0 } ?? "")
            }
            guard statement.text.contains("check(") || problem != nil else { continue }   // a helper line that ran
            if let p = problem {
                var causes = trace.causes(of: used)
                if causes.isEmpty, let e = ownFailure { causes = [stopped(cell: number, e)] }
                if !causes.isEmpty { problem = (causes + [p]).joined(separator: "; then ") }
            }
            checks.append(CheckOutcome(label: label, passed: problem == nil, hidden: statement.hidden, problem: problem))
        }
        let failed = checks.first { !$0.passed }
        var result = ExerciseResult(id: exercise.id, points: exercise.points, passed: own.error == nil && failed == nil,
                                    message: message ?? failed?.problem)
        result.checks = checks
        // The whole cell is the student's own code: any error but a failed check shows with its caret.
        if let e = ownFailure { result.traceback = e.traceback }
        return (result, own.error)
    }

    /// "'total', which cell 4 declares again: the checks need the lesson's own
    /// 'total', so leave it as the lesson sets it" (after "it uses ").
    static func redeclared(_ name: String, place: String) -> String {
        "'\(name)', which \(place) declares again: the checks need the lesson's own '\(name)', so leave it as the lesson sets it"
    }

    /// "cell 3 stopped: ResourceLimit: the cell ran longer than its time limit of 2 seconds".
    static func stopped(cell: Int?, _ e: PresentedError) -> String {
        (cell.map { "cell \($0)" } ?? "the exercise cell") + " stopped: " + e.feedbackLine
    }

    /// The checks students see: the student copy's lines after its answer
    /// (a cell without an answer is all checks).
    static func visibleChecks(_ studentSource: String, session: Session) -> [String] {
        let lines = studentSource.components(separatedBy: "\n")
        guard let end = answerEnd(lines, marker: ExerciseText.placeholder, isComplete: session.isCompleteCode) else { return lines }
        return end.complete ? Array(lines[(end.line + 1)...]) : []
    }

    /// Where an answer ends: the first line at or after the last `marker`
    /// line where the code so far is complete (so a function's closing brace
    /// stays with the answer); nil when there is no marker.
    static func answerEnd(_ lines: [String], marker: String, isComplete: (String) -> Bool) -> (line: Int, complete: Bool)? {
        guard let last = lines.lastIndex(where: { $0.trimmingCharacters(in: .whitespaces) == marker }) else { return nil }
        if let closed = (last..<lines.count).first(where: { isComplete(lines[...$0].joined(separator: "\n")) }) {
            return (closed, true)
        }
        return (lines.count - 1, false)
    }

    /// Checks cut into whole statements (a check may span lines).
    static func checkStatements(visible: [String], hidden: String, session: Session) -> [(text: String, hidden: Bool)] {
        var out: [(String, Bool)] = []
        for (lines, isHidden) in [(visible, false), (hidden.isEmpty ? [] : hidden.components(separatedBy: "\n"), true)] {
            var pending: [String] = []
            for line in lines {
                let body = line.trimmingCharacters(in: .whitespaces)
                if pending.isEmpty && (body.isEmpty || body.hasPrefix("//")) { continue }
                pending.append(line)
                if session.isCompleteCode(pending.joined(separator: "\n")) {
                    out.append((pending.joined(separator: "\n"), isHidden))
                    pending = []
                }
            }
            if !pending.isEmpty { out.append((pending.joined(separator: "\n"), isHidden)) }
        }
        return out
    }

    /// The message of `check(condition, "message")`: its last string literal.
    static func checkLabel(_ statement: String) -> String? {
        guard statement.contains("check("),
              let range = statement.range(of: #""((?:[^"\\]|\\.)*)"\s*\)\s*$"#, options: .regularExpression) else { return nil }
        var literal = String(statement[range])
        literal = String(literal[literal.index(after: literal.startIndex)...])
        literal = String(literal[..<(literal.lastIndex(of: "\"") ?? literal.endIndex)])
        return literal.replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\\\", with: "\\")
    }
}
