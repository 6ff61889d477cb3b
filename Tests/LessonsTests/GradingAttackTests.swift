import Foundation
import Testing
@testable import Lessons

/// A lesson whose hidden checks use a name its own cell sets (`expected`)
/// and a builtin (`abs`): what a mischievous student would aim at.
enum AttackLesson {
    static func notebook() throws -> Notebook {
        let json: [String: Any] = [
            "nbformat": 4, "nbformat_minor": 5, "metadata": ["kernelspec": ["name": "shoal"]],
            "cells": [
                SmallLesson.cell("# Sums and squares", type: "markdown"),
                SmallLesson.cell("let numbers = [1, 2, 3]\nlet expected = 6"),
                SmallLesson.cell("""
                    // BEGIN SOLUTION
                    let total = numbers.reduce(0, +)
                    // END SOLUTION
                    check(total > 0, "total should be positive")
                    // BEGIN HIDDEN CHECKS
                    check(total == expected, "the total of 1, 2 and 3 is 6")
                    // END HIDDEN CHECKS
                    """, exercise: "sum"),
                SmallLesson.cell("""
                    func square(_ x: Int) -> Int {
                        // BEGIN SOLUTION
                        return x * x
                        // END SOLUTION
                    }
                    // BEGIN HIDDEN CHECKS
                    check(abs(square(-7)) == 49, "square(-7) should be 49")
                    // END HIDDEN CHECKS
                    """, exercise: "square"),
            ],
        ]
        return try Notebook(data: JSONSerialization.data(withJSONObject: json))
    }
}

/// Submissions that try to score what they should not: each gets its row,
/// none scores a point its answers do not earn, and the feedback names the cause.
@Suite final class GradingAttackTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("shoal-attacks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    static let right = ["sum": "let total = numbers.reduce(0, +)", "square": "func square(_ x: Int) -> Int { x * x }"]
    static let wrong = ["sum": "let total = 5", "square": "func square(_ x: Int) -> Int { 0 }"]

    /// A submission: the student copy with `answers` in its exercise cells and `extra` cells appended.
    func submission(_ name: String, answers: [String: String], before: [String] = [], after: [String] = []) throws -> URL {
        let copy = try AttackLesson.notebook().studentCopy()
        var cells = copy.cells.map(\.json)
        for (i, c) in cells.enumerated() {
            if let id = Cell(json: c).exerciseID, let answer = answers[id] { cells[i]["source"] = answer }
        }
        let first = cells.firstIndex { Cell(json: $0).exerciseID != nil } ?? cells.count
        cells.insert(contentsOf: before.map { SmallLesson.cell($0) }, at: first)
        cells += after.map { SmallLesson.cell($0) }
        var json = copy.json
        json["cells"] = cells
        let url = directory.appendingPathComponent(name + ".ipynb")
        try JSONSerialization.data(withJSONObject: json).write(to: url)
        return url
    }

    struct Attack {
        let name: String
        let url: URL
        /// The points it may score at most (its answers' worth).
        let deserves: Double
        /// What its feedback must say (the cause), for each failed exercise.
        let cause: String
    }

    @Test func noAttackScoresWhatItsAnswersDoNotEarn() throws {
        let ownCheck = "func check(_ c: Bool, _ m: String) {}"
        func wrong(_ prefix: String) -> [String: String] { Self.wrong.mapValues { prefix + "\n" + $0 } }
        let attacks: [Attack] = [
            Attack(name: "own-check-before", url: try submission("own-check-before", answers: Self.wrong, before: [ownCheck]),
                   deserves: 0, cause: "declares 'check'"),
            Attack(name: "own-check-in-answer", url: try submission("own-check-in-answer", answers: wrong(ownCheck)),
                   deserves: 0, cause: "declares 'check'"),
            Attack(name: "own-abs", url: try submission("own-abs", answers: Self.right.merging(
                ["square": "func abs(_ x: Int) -> Int { 49 }\nfunc square(_ x: Int) -> Int { 0 }"]) { $1 }),
                   deserves: 2, cause: "declares 'abs'"),
            Attack(name: "shadow-expected", url: try submission("shadow-expected", answers: Self.right.merging(
                ["sum": "let expected = 5\nlet total = 5"]) { $1 }),
                   deserves: 2, cause: "uses 'expected', which cell 3 declares again"),
            Attack(name: "shadow-in-a-cell", url: try submission("shadow-in-a-cell", answers: Self.right.merging(["sum": "let total = 5"]) { $1 },
                                                                   before: ["let expected = 5"]),
                   deserves: 2, cause: "uses 'expected', which cell 3 declares again"),
            Attack(name: "exit-early", url: try submission("exit-early", answers: wrong("exit(0)"), after: ["exit(0)", "fatalError(\"done\")"]),
                   deserves: 0, cause: "cannot find 'exit' in scope"),
            Attack(name: "throw", url: try submission("throw", answers: wrong("throw CancellationError()")),
                   deserves: 0, cause: "'CancellationError' (concurrency) is not supported"),
            Attack(name: "spin-before", url: try submission("spin-before", answers: Self.wrong, before: ["while true {}"]),
                   deserves: 0, cause: "the total of 1, 2 and 3 is 6"),
            Attack(name: "spin-in-answer", url: try submission("spin-in-answer", answers: wrong("while true {}")),
                   deserves: 0, cause: "time limit"),
            Attack(name: "spin-after", url: try submission("spin-after", answers: Self.right, after: ["while true {}", "exit(0)"]),
                   deserves: 4, cause: "Score: **4 of 4**"),
            Attack(name: "flood", url: try submission("flood", answers: wrong("for i in 0..<100_000 { print(\"flood \\(i)\") }")),
                   deserves: 0, cause: "the total of 1, 2 and 3 is 6"),
            Attack(name: "read-outside", url: try submission("read-outside", answers: wrong("let secret = ImageFolder(\"/etc\", imageSize: 32)")),
                   deserves: 0, cause: "sandbox"),
            Attack(name: "write-outside", url: try submission("write-outside", answers: wrong(
                "Fish.synthetic(seed: 1, perClass: 1, imageSize: 16).saveImages(\"\(directory.path)/planted\")")),
                   deserves: 0, cause: "sandbox"),
        ]
        let honest = try submission("honest", answers: Self.right)
        var limits = HeadlessRun.defaultLimits
        limits.maxSeconds = 2
        let rows = try Grader.grade(source: try AttackLesson.notebook(), submissions: attacks.map(\.url) + [honest], limits: limits)
        #expect(rows.count == attacks.count + 1, "every submission gets its row")
        #expect((rows.first { $0.submission == "honest" }?.score) == 4)
        let out = directory.appendingPathComponent("grades")
        try Grader.write(rows, exercises: try AttackLesson.notebook().exercises(), to: out)
        for attack in attacks {
            let row = try #require(rows.first { $0.submission == attack.name }, "\(attack.name) has no row")
            #expect(row.problem == nil, "\(attack.name): \(row.problem ?? "")")
            #expect(row.score == attack.deserves, "\(attack.name) scored \(row.score), its answers earn \(attack.deserves)")
            let feedback = try String(contentsOf: out.appendingPathComponent("feedback/\(attack.name).md"), encoding: .utf8)
            #expect(feedback.contains(attack.cause), "\(attack.name): the feedback does not say '\(attack.cause)':\n\(feedback)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("planted").path))
        // The note names Shoal's own check, and the hidden checks' code never shows.
        let noted = try String(contentsOf: out.appendingPathComponent("feedback/own-check-before.md"), encoding: .utf8)
        #expect(noted.contains("Note: Your notebook declares 'check', the name of a Shoal builtin: the grader's checks used Shoal's own 'check', not yours."))
        #expect(!noted.contains("total == expected"))
    }

    /// A failed check's cause is traced by the names it uses: the cell that
    /// declares them and why it stopped, even when other cells stopped later.
    @Test func theCauseIsTracedByNames() throws {
        let sub = try submission("traced", answers: ["sum": "let total = base", "square": "func square(_ x: Int) -> Int { x * x }"],
                                 before: ["while true {}\nlet base = 6", "let unrelated = [1][5]"])
        var limits = HeadlessRun.defaultLimits
        limits.maxSeconds = 1
        let rows = try Grader.grade(source: try AttackLesson.notebook(), submissions: [sub], limits: limits)
        let sum = try #require(rows.first?.results.first { $0.id == "sum" })
        let failed = try #require(sum.checks.first { !$0.passed }?.problem)
        // cell 3 declares `base` and reached its time limit; cell 5 (the answer) then could not find it.
        #expect(failed.hasPrefix("cell 3 stopped: ResourceLimit: the cell ran longer than its time limit"), "\(failed)")
        #expect(failed.contains("; then cell 5 stopped: NameError: cannot find 'base' in scope"), "\(failed)")
        #expect(!failed.contains("cell 4"), "cell 4 stopped too, but no check uses what it declares: \(failed)")
        #expect(rows.first?.score == 2)
    }
}
