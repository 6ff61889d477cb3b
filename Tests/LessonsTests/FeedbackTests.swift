import Foundation
import Testing
@testable import Lessons

@Suite("Grading feedback, check by check")
struct FeedbackTests {
    func submission(_ answers: [String: String]) throws -> Notebook {
        var copy = try SmallLesson.notebook().studentCopy()
        var cells = copy.cells
        for (i, c) in cells.enumerated() { if let id = c.exerciseID, let a = answers[id] { cells[i].source = a } }
        copy.cells = cells
        return copy
    }

    @Test func feedbackListsEachCheckAndTheCellsOwnError() throws {
        let source = try SmallLesson.notebook()
        let results = HeadlessRun.run(try submission(["sum": "let total = 5", "double": "let doubled = [2, 4, 6]\nlet x = [1][3]"]),
                                      exercises: try source.exercises(), checkByCheck: true)
        let sum = try #require(results.first { $0.id == "sum" })
        #expect(!sum.passed && sum.message == "the total of 1, 2 and 3 is 6")
        #expect(sum.checks == [CheckOutcome(label: "total should be positive", passed: true, hidden: false, problem: nil),
                               CheckOutcome(label: "the total of 1, 2 and 3 is 6", passed: false, hidden: true,
                                            problem: "the total of 1, 2 and 3 is 6")])
        let twice = try #require(results.first { $0.id == "double" })
        #expect(!twice.passed, "a cell that stops with an error scores nothing, even when its checks hold")
        #expect(twice.checks.allSatisfy { $0.passed })
        #expect(twice.traceback.contains { $0.contains("let x = [1][3]") }, "the error shows the line it stopped at")
        let row = GradeRow(submission: "ann", results: results, total: 6, problem: nil)
        let page = Feedback.html(row)
        #expect(page.contains("✓ total should be positive") && page.contains("✗ the total of 1, 2 and 3 is 6 (hidden check)"))
        #expect(page.contains("Your code stopped with an error") && page.contains("IndexError"))
        #expect(!page.contains("check(total == 6"), "never a hidden check's code")
    }

    @Test func theSummaryNamesTheHardestExercise() throws {
        let source = try SmallLesson.notebook()
        let exercises = try source.exercises()
        let right = try submission(["sum": "let total = numbers.reduce(0, +)", "double": "let doubled = numbers.map { $0 * 2 }",
                                    "square": "func square(_ x: Int) -> Int { x * x }"])
        let wrong = try submission(["sum": "let total = numbers.reduce(0, +)", "double": "let doubled = numbers",
                                    "square": "func square(_ x: Int) -> Int { x * x }"])
        let rows = [right, wrong, wrong].enumerated().map { i, nb in
            GradeRow(submission: "s\(i)", results: HeadlessRun.run(nb, exercises: exercises, checkByCheck: true), total: 6, problem: nil)
        }
        let summary = Feedback.summarize(rows, exercises: exercises)
        #expect(summary.map(\.passed) == [3, 1, 3])
        #expect(summary[1].commonProblem?.message == "each number should be doubled" && summary[1].commonProblem?.count == 2)
        #expect(Feedback.summaryHTML(summary, rows: rows).contains("Hardest exercise: <b>double</b>, earned by 1 of 3"))
        let png = try Feedback.chart(summary, submissions: 3).bytes
        #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
    }
}
