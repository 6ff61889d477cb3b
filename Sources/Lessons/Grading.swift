import CellIO
import Dispatch
import Foundation
import Practice

/// One submission's grade: always a row, with the reason when the notebook
/// could not be read or run.
public struct GradeRow: Sendable {
    public let submission: String
    public let results: [ExerciseResult]
    public let total: Double
    /// Why the submission scored nothing without being run ("not a notebook: …").
    public let problem: String?
    /// What the learner should know about how it was graded (a builtin name it declared).
    public var notes: [String] = []

    public var score: Double { results.reduce(0) { $0 + $1.earned } }
}

/// `shoal grade`: every submission through `Practice.Session` in-process, on
/// all cores, each in its own empty sandbox folder with a per-cell time
/// limit, the instructor's hidden checks re-inserted at each exercise's cell
/// (found by its id, wherever the student moved it).
public enum Grader {
    public static func grade(source: Notebook, submissions: [URL], limits: Limits = HeadlessRun.defaultLimits,
                             workers: Int = ProcessInfo.processInfo.activeProcessorCount,
                             progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) throws -> [GradeRow] {
        let exercises = try source.exercises()
        guard !exercises.isEmpty else { throw LessonError("the source notebook has no exercises") }
        let total = exercises.reduce(0) { $0 + $1.points }
        let rows = Rows(count: submissions.count)
        let next = Counter()
        let workerCount = max(1, min(workers, submissions.count))
        DispatchQueue.concurrentPerform(iterations: workerCount) { _ in
            while let i = next.take(below: submissions.count) {
                let url = submissions[i]
                let name = url.deletingPathExtension().lastPathComponent
                let row: GradeRow
                do {
                    let notebook = try Notebook(contentsOf: url)
                    let sandbox = FileManager.default.temporaryDirectory.appendingPathComponent("shoal-grade-\(UUID().uuidString)")
                    try? FileManager.default.createDirectory(at: sandbox, withIntermediateDirectories: true)
                    defer { try? FileManager.default.removeItem(at: sandbox) }
                    let run = HeadlessRun.outcome(notebook, exercises: exercises, limits: limits, checkByCheck: true, sandbox: sandbox,
                                                  lesson: source)
                    var graded = GradeRow(submission: name, results: run.results, total: total, problem: nil)
                    if !run.shadowedBuiltins.isEmpty { graded.notes.append(Feedback.shadowingNote(run.shadowedBuiltins)) }
                    row = graded
                } catch {
                    row = GradeRow(submission: name, results: exercises.map {
                        ExerciseResult(id: $0.id, points: $0.points, passed: false, message: nil)
                    }, total: total, problem: "\(error)")
                }
                rows.set(i, row)
                progress(next.finished(), submissions.count)
            }
        }
        return rows.all
    }

    /// grades.csv, grades.json, feedback/NAME.md and .html, and the class
    /// summary (summary.html with its chart, summary.png) in `directory`.
    public static func write(_ rows: [GradeRow], exercises: [Exercise], to directory: URL) throws {
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: directory.appendingPathComponent("feedback"), withIntermediateDirectories: true)
            var csv = "submission,score,total," + exercises.map { csvField($0.id) }.joined(separator: ",") + ",problem\n"
            for r in rows {
                csv += [csvField(r.submission), number(r.score), number(r.total)].joined(separator: ",") + ","
                    + r.results.map { number($0.earned) }.joined(separator: ",") + "," + csvField(r.problem ?? "") + "\n"
            }
            try Data(csv.utf8).write(to: directory.appendingPathComponent("grades.csv"))
            let json: [[String: Any]] = rows.map { r in
                ["submission": r.submission, "score": r.score, "total": r.total, "problem": r.problem ?? NSNull(), "notes": r.notes,
                 "exercises": r.results.map(jsonObject)]
            }
            try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
                .write(to: directory.appendingPathComponent("grades.json"))
            for r in rows {
                let base = directory.appendingPathComponent("feedback").appendingPathComponent(r.submission)
                try Data(Feedback.markdown(r).utf8).write(to: base.appendingPathExtension("md"))
                try Data(Feedback.html(r).utf8).write(to: base.appendingPathExtension("html"))
            }
            let summary = Feedback.summarize(rows, exercises: exercises)
            try Data(Feedback.chart(summary, submissions: rows.filter { $0.problem == nil }.count).bytes)
                .write(to: directory.appendingPathComponent("summary.png"))
            try Data(Feedback.summaryHTML(summary, rows: rows).utf8).write(to: directory.appendingPathComponent("summary.html"))
        } catch { throw LessonError("cannot write the grades into \(directory.path): \(error.localizedDescription)") }
    }

    static func jsonObject(_ e: ExerciseResult) -> [String: Any] {
        let checks: [[String: Any]] = e.checks.map { c in
            ["check": c.label, "passed": c.passed, "hidden": c.hidden, "problem": c.problem ?? NSNull()]
        }
        return ["id": e.id, "points": e.points, "earned": e.earned, "passed": e.passed, "message": e.message ?? NSNull(),
                "error": e.traceback.isEmpty ? NSNull() : e.traceback.joined(separator: "\n"), "checks": checks]
    }

    static func number(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(format: "%.2f", x) }

    static func csvField(_ s: String) -> String {
        s.contains(where: { ",\"\n".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}

/// Results by submission index, filled from several threads.
final class Rows: @unchecked Sendable {
    private var rows: [GradeRow?]
    private let lock = NSLock()
    init(count: Int) { rows = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ row: GradeRow) { lock.lock(); rows[i] = row; lock.unlock() }
    var all: [GradeRow] { lock.lock(); defer { lock.unlock() }; return rows.compactMap { $0 } }
}

/// Hands out submission indices to workers, and counts finished ones.
final class Counter: @unchecked Sendable {
    private var nextIndex = 0, done = 0
    private let lock = NSLock()
    func take(below n: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard nextIndex < n else { return nil }
        defer { nextIndex += 1 }
        return nextIndex
    }
    func finished() -> Int { lock.lock(); defer { lock.unlock() }; done += 1; return done }
}
