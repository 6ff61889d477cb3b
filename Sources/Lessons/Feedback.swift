import Foundation
import Rendering

/// What `shoal grade` writes for people: one feedback page per submission
/// (each exercise's score, the checks that held and those that did not, and
/// the error the student's own code stopped with, never a hidden check's
/// code) and a class summary with a chart of the points earned per exercise.
enum Feedback {
    static func note(_ e: ExerciseResult) -> String {
        e.passed ? "passed" : (e.message.map { "not yet: \($0)" } ?? "not graded")
    }

    static func checkLine(_ c: CheckOutcome) -> String {
        let kind = c.hidden ? " (hidden check)" : ""
        guard let problem = c.problem else { return "✓ \(c.label)\(kind)" }
        return problem == c.label ? "✗ \(c.label)\(kind)" : "✗ \(c.label)\(kind): \(problem)"
    }

    /// "Your notebook declares 'check', the name of a Shoal builtin: the
    /// grader's checks used Shoal's own 'check', not yours."
    static func shadowingNote(_ names: [String]) -> String {
        let quoted = names.map { "'\($0)'" }
        let list = quoted.count == 1 ? quoted[0] : quoted.dropLast().joined(separator: ", ") + " and " + quoted.last!
        let what = names.count == 1 ? "the name of a Shoal builtin" : "names of Shoal builtins"
        return "Your notebook declares \(list), \(what): the grader's checks used Shoal's own \(list), not yours."
    }

    static func markdown(_ r: GradeRow) -> String {
        let n = Grader.number
        var lines = ["# Feedback: \(r.submission)", "", "Score: **\(n(r.score)) of \(n(r.total))**", ""]
        if let problem = r.problem { lines += ["Your notebook could not be graded: \(problem)", ""] }
        lines += r.notes.flatMap { ["Note: \($0)", ""] }
        lines += ["| exercise | points | |", "| --- | --- | --- |"]
        for e in r.results {
            lines.append("| \(e.id) | \(n(e.earned)) / \(n(e.points)) | \(note(e).replacingOccurrences(of: "|", with: "\\|")) |")
        }
        for e in r.results where !e.checks.isEmpty || !e.traceback.isEmpty {
            lines += ["", "## \(e.id): \(n(e.earned)) of \(n(e.points))", ""]
            if !e.traceback.isEmpty { lines += ["Your code stopped with an error:", "", "```text"] + e.traceback + ["```", ""] }
            lines += e.checks.map { "- " + checkLine($0) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func html(_ r: GradeRow) -> String {
        let n = Grader.number
        var out = page(title: "Feedback: \(r.submission)")
        out += "<h1>Feedback: \(esc(r.submission))</h1><p>Score: <b>\(n(r.score)) of \(n(r.total))</b></p>"
        if let problem = r.problem { out += "<p>Your notebook could not be graded: \(esc(problem))</p>" }
        out += r.notes.map { "<p class=\"note\">Note: \(esc($0))</p>" }.joined()
        out += "<table><tr><th>exercise</th><th>points</th><th></th></tr>"
        for e in r.results {
            out += "<tr><td>\(esc(e.id))</td><td>\(n(e.earned)) / \(n(e.points))</td><td>\(esc(note(e)))</td></tr>"
        }
        out += "</table>"
        for e in r.results where !e.checks.isEmpty || !e.traceback.isEmpty {
            out += "<h2>\(esc(e.id)): \(n(e.earned)) of \(n(e.points))</h2>"
            if !e.traceback.isEmpty {
                out += "<p>Your code stopped with an error:</p><pre>\(esc(e.traceback.joined(separator: "\n")))</pre>"
            }
            out += "<ul>" + e.checks.map { "<li class=\"\($0.passed ? "pass" : "fail")\">\(esc(checkLine($0)))</li>" }.joined() + "</ul>"
        }
        return out + "</body></html>\n"
    }

    /// One exercise across the class.
    struct ExerciseSummary {
        let id: String
        let points: Double
        let passed: Int
        let graded: Int
        /// The failure most submissions share, with how many.
        let commonProblem: (message: String, count: Int)?
        var percent: Double { graded == 0 ? 0 : (100 * Double(passed) / Double(graded)).rounded() }
    }

    static func summarize(_ rows: [GradeRow], exercises: [Exercise]) -> [ExerciseSummary] {
        let graded = rows.filter { $0.problem == nil }
        return exercises.map { x in
            let results = graded.compactMap { $0.results.first { $0.id == x.id } }
            var counts: [String: Int] = [:]
            for r in results where !r.passed { counts[r.message ?? "not graded", default: 0] += 1 }
            let common = counts.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }
            return ExerciseSummary(id: x.id, points: x.points, passed: results.filter(\.passed).count, graded: results.count,
                                   commonProblem: common.map { ($0.key, $0.value) })
        }
    }

    /// The chart: the share of submissions that earned each exercise's points.
    static func chart(_ summary: [ExerciseSummary], submissions: Int) throws -> RenderedImage {
        try Figure.bar(BarChart(title: "Points earned per exercise (\(submissions) submission\(submissions == 1 ? "" : "s"))",
                                xLabel: "exercise", yLabel: "% of submissions with the points",
                                categories: summary.map(\.id), series: [("earned", summary.map(\.percent))])).render()
    }

    static func summaryHTML(_ summary: [ExerciseSummary], rows: [GradeRow]) -> String {
        let n = Grader.number
        let unreadable = rows.filter { $0.problem != nil }.count
        var out = page(title: "Class summary")
        out += "<h1>Class summary</h1><p>\(rows.count) submissions"
        if unreadable > 0 { out += ", \(unreadable) of them could not be graded (they score 0 and are left out below)" }
        out += ".</p>"
        if let hardest = summary.min(by: { $0.percent < $1.percent }), summary.count > 1 {
            out += "<p>Hardest exercise: <b>\(esc(hardest.id))</b>, earned by \(hardest.passed) of \(hardest.graded).</p>"
        }
        out += "<img src=\"summary.png\" width=\"460\" alt=\"points earned per exercise\">"
        out += "<table><tr><th>exercise</th><th>points</th><th>earned by</th><th>most common problem</th></tr>"
        for s in summary {
            let problem = s.commonProblem.map { "\(esc($0.message)) (\($0.count))" } ?? ""
            out += "<tr><td>\(esc(s.id))</td><td>\(n(s.points))</td><td>\(s.passed) of \(s.graded) (\(n(s.percent))%)</td><td>\(problem)</td></tr>"
        }
        return out + "</table></body></html>\n"
    }

    static func page(title: String) -> String {
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>\(esc(title))</title><style>"
            + "body{font-family:sans-serif;max-width:52em;margin:2em auto}table{border-collapse:collapse}"
            + "td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}pre{background:#f6f6f6;padding:.6em;overflow-x:auto}"
            + "li.pass{color:#1a6b1a}li.fail{color:#a01c1c}</style></head><body>"
    }

    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
