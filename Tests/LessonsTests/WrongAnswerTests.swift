import Foundation
import Testing
@testable import Lessons

/// `shoal validate` tries each exercise's plausible wrong answers
/// (metadata.shoal.wrong): a check that lets one through is reported.
@Suite("wrong answers")
struct WrongAnswerTests {
    static func lesson(wrong: [String]) throws -> Notebook {
        var json = SmallLesson.json
        var cells = json["cells"] as! [[String: Any]]
        cells[2]["metadata"] = ["shoal": ["exercise": "sum", "points": 2, "wrong": wrong]]
        json["cells"] = cells
        return try Notebook(data: JSONSerialization.data(withJSONObject: json))
    }

    @Test func wrongAnswersThatFailTheChecksAreFine() throws {
        let report = try ValidationReport.validate(Self.lesson(wrong: ["let total = numbers.count", "let total = 5"]))
        #expect(report.ok, "\(report.text)")
        #expect(report.rows.first?.wrongAnswersTried == 2)
        #expect(report.text.hasPrefix("ok    sum: the solution passes, an empty answer fails, 2 wrong answers fail"))
    }

    @Test func aWrongAnswerThatPassesIsReported() throws {
        // The visible check only asks for a positive total: the hidden one must catch 7.
        var json = SmallLesson.json
        var cells = json["cells"] as! [[String: Any]]
        cells[2]["source"] = "// BEGIN SOLUTION\nlet total = numbers.reduce(0, +)\n// END SOLUTION\ncheck(total > 0, \"total should be positive\")"
        cells[2]["metadata"] = ["shoal": ["exercise": "sum", "points": 2, "wrong": ["let total = 7"]]]
        json["cells"] = cells
        let report = try ValidationReport.validate(Notebook(data: JSONSerialization.data(withJSONObject: json)))
        #expect(!report.ok)
        #expect(report.rows.first?.problem == "a wrong answer passes: `let total = 7`")
    }

    @Test func studentsNeverSeeTheWrongAnswers() throws {
        let copy = try Self.lesson(wrong: ["let total = numbers.count"]).studentCopy()
        let text = String(decoding: try copy.data(), as: UTF8.self)
        #expect(!text.contains("numbers.count"))
        #expect(copy.cells[2].exerciseID == "sum")
    }

    @Test func theAnswerTakesThePlaceholdersIndent() throws {
        let text = try ExerciseText("func f() -> Int {\n    // BEGIN SOLUTION\n    return 1\n    // END SOLUTION\n}", cell: 1)
        #expect(text.answered(with: "return 2") == "func f() -> Int {\n    return 2\n}")
    }
}
