import CellIO
import Foundation
import Practice

/// How one exercise went in one run.
public struct ExerciseResult: Equatable, Sendable {
    public let id: String
    public let points: Double
    public let passed: Bool
    /// The failed check's message or the error, when it did not pass.
    public let message: String?
    /// Each check and whether it held (grading only; see `CheckedRun`).
    public var checks: [CheckOutcome] = []
    /// For an error in the learner's own code: the error's lines with the
    /// caret under its place, as the kernel and `shoal exec` show them
    /// (empty for failed checks, and for errors inside hidden checks, whose
    /// code never shows).
    public var traceback: [String] = []

    public var earned: Double { passed ? points : 0 }
}

/// Runs a notebook's code cells in order in a fresh Session, with no
/// kernel and no sockets: exercise cells (found by their id) run with the
/// instructor's hidden checks appended. A failing cell is recorded and the
/// run goes on. Output, stderr included, is discarded: it never changes a result.
public enum HeadlessRun {
    /// What a run gives: each exercise's result, and the builtin names the
    /// notebook declared (`func check`), which its feedback mentions.
    public struct Outcome: Sendable {
        public let results: [ExerciseResult]
        public let shadowedBuiltins: [String]
    }

    public static func run(_ notebook: Notebook, exercises: [Exercise], limits: Limits = HeadlessRun.defaultLimits,
                           appendHiddenChecks: Bool = true, useSourceText: Bool = false, checkByCheck: Bool = false,
                           sandbox: URL? = nil) -> [ExerciseResult] {
        outcome(notebook, exercises: exercises, limits: limits, appendHiddenChecks: appendHiddenChecks,
                useSourceText: useSourceText, checkByCheck: checkByCheck, sandbox: sandbox).results
    }

    /// - Parameter lesson: the instructor's notebook, when grading check by
    ///   check: a check that uses a name its own cells declare fails when the
    ///   submission declared that name again.
    public static func outcome(_ notebook: Notebook, exercises: [Exercise], limits: Limits = HeadlessRun.defaultLimits,
                               appendHiddenChecks: Bool = true, useSourceText: Bool = false, checkByCheck: Bool = false,
                               sandbox: URL? = nil, lesson: Notebook? = nil) -> Outcome {
        let session = Session(limits: limits, sandbox: sandbox)
        session.showsResults = false
        let byID = Dictionary(exercises.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var outcome: [String: ExerciseResult] = [:]
        let sink = NullSink()
        // The cells run so far, what they declare and use, and how they
        // stopped: what a later check's failure may come from.
        var trace = CellTrace(lessonNames: lesson.map(CellTrace.lessonNames) ?? [:])
        for (index, cell) in notebook.cells.enumerated() where cell.isCode {
            guard let id = cell.exerciseID, let exercise = byID[id] else {
                let error = session.execute(cell.source, sink: sink).error
                if checkByCheck { trace.ran(cell.source, number: index + 1, error: error) }
                continue
            }
            guard outcome[id] == nil else { continue }   // a duplicated exercise cell counts once
            if checkByCheck {
                outcome[id] = CheckedRun.grade(cell: cell, exercise: exercise, session: session, sink: sink,
                                               number: index + 1, trace: &trace).row
                continue
            }
            // The submission's own text; any hidden checks it carries are replaced by the instructor's.
            var code = useSourceText ? cell.source : ((try? ExerciseText(cell.source, cell: 0).withoutHiddenChecks) ?? cell.source)
            let ownLength = code.utf8.count
            if appendHiddenChecks && !exercise.text.hiddenChecks.isEmpty { code += "\n" + exercise.text.hiddenChecks }
            let result = session.execute(code, sink: sink)
            var row = ExerciseResult(id: id, points: exercise.points, passed: result.error == nil, message: result.error?.feedbackLine)
            if let e = result.error, e.ename != "CheckFailed", let offset = e.offset, offset < ownLength { row.traceback = e.traceback }
            outcome[id] = row
        }
        let results = exercises.map { e in
            outcome[e.id] ?? ExerciseResult(id: e.id, points: e.points, passed: false, message: "the exercise cell is missing")
        }
        return Outcome(results: results, shadowedBuiltins: session.shadowedBuiltins)
    }

    /// Twenty seconds a cell, bounded collections: enough for the lessons, and an
    /// infinite loop or a runaway allocation stops instead of hanging.
    public static var defaultLimits: Limits {
        var l = Limits()
        l.maxSeconds = 20
        l.maxCollectionCount = 10_000_000
        return l
    }
}

/// `shoal validate`: the source must pass every check, and the student copy
/// must fail every exercise (so that an empty answer never scores).
public struct ValidationReport: Sendable {
    public struct Row: Equatable, Sendable {
        public let id: String
        public let sourcePasses: Bool
        public let studentCopyFails: Bool
        /// How many wrong answers (metadata.shoal.wrong) were tried; each must fail.
        public let wrongAnswersTried: Int
        public let problem: String?
    }
    public let rows: [Row]
    public var ok: Bool { rows.allSatisfy { $0.problem == nil } }

    public static func validate(_ source: Notebook, limits: Limits = HeadlessRun.defaultLimits) throws -> ValidationReport {
        let exercises = try source.exercises()
        guard !exercises.isEmpty else { throw LessonError("the notebook has no exercises (cells with BEGIN SOLUTION markers and an id)") }
        // The source as written: solutions in place, hidden checks where they stand.
        let withSolutions = HeadlessRun.run(source, exercises: exercises.map {
            Exercise(id: $0.id, points: $0.points, cellIndex: $0.cellIndex, text: .empty)
        }, limits: limits, appendHiddenChecks: false, useSourceText: true)
        let student = HeadlessRun.run(try source.studentCopy(), exercises: exercises, limits: limits)
        let passingWrong = wrongAnswersThatPass(source, exercises: exercises, limits: limits)
        let rows = zip(withSolutions, student).map { s, t -> Row in
            var problem: String?
            let tried = source.cells[exercises.first { $0.id == s.id }?.cellIndex ?? 0].wrongAnswers.count
            if !s.passed { problem = "the solution fails: \(s.message ?? "?")" }
            else if t.passed { problem = "an empty answer passes: its checks do not test the answer" }
            else if let wrong = passingWrong[s.id]?.first { problem = "a wrong answer passes: `\(wrong)`" }
            return Row(id: s.id, sourcePasses: s.passed, studentCopyFails: !t.passed, wrongAnswersTried: tried, problem: problem)
        }
        return ValidationReport(rows: rows)
    }

    /// The wrong answers of each exercise that its checks let through. One
    /// run of the source: at each exercise cell every wrong answer is tried
    /// with the hidden checks, then the solution runs as written (re-running
    /// a cell replaces what the wrong answer defined).
    static func wrongAnswersThatPass(_ source: Notebook, exercises: [Exercise], limits: Limits) -> [String: [String]] {
        guard exercises.contains(where: { !source.cells[$0.cellIndex].wrongAnswers.isEmpty }) else { return [:] }
        let session = Session(limits: limits)
        session.showsResults = false
        let sink = NullSink()
        let byCell = Dictionary(exercises.map { ($0.cellIndex, $0) }, uniquingKeysWith: { a, _ in a })
        var passing: [String: [String]] = [:]
        for (i, cell) in source.cells.enumerated() where cell.isCode {
            if let exercise = byCell[i] {
                for wrong in cell.wrongAnswers {
                    let code = exercise.text.answered(with: wrong) + "\n" + exercise.text.hiddenChecks
                    if session.execute(code, sink: sink).error == nil { passing[exercise.id, default: []].append(wrong) }
                }
            }
            _ = session.execute(cell.source, sink: sink)
        }
        return passing
    }

    public var text: String {
        rows.map { r in
            (r.problem == nil ? "ok    " : "FAIL  ") + r.id + (r.problem.map { ": \($0)" } ?? ": the solution passes, an empty answer fails"
                + (r.wrongAnswersTried > 0 ? ", \(r.wrongAnswersTried == 1 ? "a wrong answer fails" : "\(r.wrongAnswersTried) wrong answers fail")" : ""))
        }.joined(separator: "\n")
    }
}
