import Foundation
import Testing
@testable import Lessons

/// A small lesson with three exercises, as an instructor writes it.
enum SmallLesson {
    static func cell(_ source: String, exercise: String? = nil, type: String = "code", outputs: [[String: Any]] = []) -> [String: Any] {
        var c: [String: Any] = ["cell_type": type, "source": source, "metadata": exercise.map { ["shoal": ["exercise": $0, "points": 2]] } ?? [:]]
        if type == "code" { c["outputs"] = outputs; c["execution_count"] = 1 }
        return c
    }

    static let shownOutput: [[String: Any]] = [["output_type": "stream", "name": "stdout", "text": "[1, 2, 3]\n"]]

    static var json: [String: Any] {
        ["nbformat": 4, "nbformat_minor": 5, "metadata": ["kernelspec": ["name": "shoal"]],
         "cells": [
            cell("# A small lesson", type: "markdown"),
            cell("let numbers = [1, 2, 3]\nprint(numbers)", outputs: shownOutput),
            cell("""
                // BEGIN SOLUTION
                let total = numbers.reduce(0, +)
                // END SOLUTION
                check(total > 0, "total should be positive")
                // BEGIN HIDDEN CHECKS
                check(total == 6, "the total of 1, 2 and 3 is 6")
                // END HIDDEN CHECKS
                """, exercise: "sum", outputs: shownOutput),
            cell("""
                // BEGIN SOLUTION
                let doubled = numbers.map { $0 * 2 }
                // END SOLUTION
                check(doubled.count == 3, "doubled should have three numbers")
                // BEGIN HIDDEN CHECKS
                check(doubled == [2, 4, 6], "each number should be doubled")
                // END HIDDEN CHECKS
                """, exercise: "double"),
            cell("""
                func square(_ x: Int) -> Int {
                    // BEGIN SOLUTION
                    return x * x
                    // END SOLUTION
                }
                // BEGIN HIDDEN CHECKS
                check(square(7) == 49, "square(7) should be 49")
                // END HIDDEN CHECKS
                """, exercise: "square"),
         ]]
    }

    static func notebook() throws -> Notebook {
        try Notebook(data: JSONSerialization.data(withJSONObject: json))
    }
}

@Suite final class LessonToolsTests {
    @Test func studentCopyHasNoSolutionsOrHiddenChecks() throws {
        let copy = try SmallLesson.notebook().studentCopy()
        let text = String(decoding: try copy.data(), as: UTF8.self)
        for secret in ["reduce(0, +)", "$0 * 2", "x * x", "the total of 1, 2 and 3 is 6", "each number should be doubled",
                       "BEGIN SOLUTION", "HIDDEN CHECKS", "square(7)"] {
            #expect(!text.contains(secret), "the student copy shows \(secret)")
        }
        let cells = copy.cells
        #expect(cells[2].source == ("// YOUR CODE HERE\ncheck(total > 0, \"total should be positive\")"))
        #expect(cells[4].source == ("func square(_ x: Int) -> Int {\n    // YOUR CODE HERE\n}"))
        #expect(((cells[2].json["outputs"] as? [Any])?.count) == 0, "exercise outputs are cleared")
        #expect(((cells[1].json["outputs"] as? [Any])?.count) == 1, "other outputs are kept")
        #expect(cells[0].source == ("# A small lesson"))
        #expect(cells[2].exerciseID == "sum", "metadata stays, so grading can find the cell")
    }

    @Test func validationPassesTheSourceAndCatchesAChecklessExercise() throws {
        let report = try ValidationReport.validate(SmallLesson.notebook())
        #expect(report.ok, "\(report.text)")
        #expect(report.rows.map(\.id) == ["sum", "double", "square"])
        // An exercise whose only check also passes on an empty answer.
        var json = SmallLesson.json
        var cells = json["cells"] as! [[String: Any]]
        cells.append(SmallLesson.cell("// BEGIN SOLUTION\nlet answer = 42\n// END SOLUTION\ncheck(true, \"always\")", exercise: "weak"))
        json["cells"] = cells
        let weak = try ValidationReport.validate(Notebook(data: JSONSerialization.data(withJSONObject: json)))
        #expect(!weak.ok)
        #expect(weak.rows.last?.problem == ("an empty answer passes: its checks do not test the answer"))
        #expect(weak.text.contains("FAIL  weak"))
    }

    @Test func markerMistakesAreClearErrors() throws {
        var json = SmallLesson.json
        var cells = json["cells"] as! [[String: Any]]
        cells.append(SmallLesson.cell("// BEGIN SOLUTION\nlet a = 1\n", exercise: "open"))
        json["cells"] = cells
        if let error = #expect(throws: (any Error).self, performing: { try Notebook(data: JSONSerialization.data(withJSONObject: json)).studentCopy() }) {
            #expect("\(error)" == ("cell 6: BEGIN SOLUTION on line 1 has no END SOLUTION"))
        }
        cells[5] = SmallLesson.cell("// BEGIN SOLUTION\nlet b = 1\n// END SOLUTION", exercise: "sum")
        json["cells"] = cells
        if let error = #expect(throws: (any Error).self, performing: { try Notebook(data: JSONSerialization.data(withJSONObject: json)).exercises() }) {
            #expect("\(error)" == ("cells 3 and 6 have the same exercise id 'sum'"))
        }
        if let error = #expect(throws: (any Error).self, performing: { try Notebook(data: Data("{not json".utf8)) }) { #expect("\(error)".contains("not valid JSON")) }
    }

    @Test func authorInitAddsIDsToMarkedCells() throws {
        var json = SmallLesson.json
        var cells = json["cells"] as! [[String: Any]]
        cells.append(["cell_type": "code", "source": "// BEGIN SOLUTION\nlet c = 3\n// END SOLUTION\ncheck(c == 3)", "metadata": [:],
                      "outputs": [], "execution_count": NSNull()])
        json["cells"] = cells
        let (notebook, added) = try Notebook(data: JSONSerialization.data(withJSONObject: json)).withExerciseIDs(prefix: "lesson")
        #expect(added == 1)
        #expect(try notebook.exercises().map(\.id) == (["sum", "double", "square", "lesson-4"]))
    }

    /// A shipped lesson validates: every solution passes, every empty and wrong answer fails (Tests/Kernel/test_lessons.py tries every lesson, with two seeds).
    @Test func theShippedLessonsValidate() throws {
        let lessons = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("instructor")
        for name in ["02-epochs-batches-iterations"] {
            let report = try ValidationReport.validate(Notebook(contentsOf: lessons.appendingPathComponent(name + ".ipynb")))
            #expect(report.ok, "\(name):\n\(report.text)")
            #expect(report.rows.count >= 2)
        }
    }
}

@Suite final class TextFormTests {
    @Test func lessonsRoundTripThroughTheTextForm() throws {
        let lessons = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("instructor")
        for name in ["01-data-splits", "06-course-notebook"] {
            let notebook = try Notebook(contentsOf: lessons.appendingPathComponent(name + ".ipynb"))
            let text = try TextForm.render(notebook)
            let back = try TextForm.parse(text)
            #expect(try TextForm.render(back) == text, "\(name)")
            #expect(back.cells.map(\.source) == notebook.cells.map(\.source), "\(name)")
            #expect(back.cells.map(\.type) == notebook.cells.map(\.type), "\(name)")
            let ids = back.cells.compactMap { $0.json["id"] as? String }
            #expect(ids.count == back.cells.count && Set(ids).count == ids.count, "every cell gets its own id (nbformat 4.5)")
            #expect(try back.exercises().map(\.id) == notebook.exercises().map(\.id), "\(name)")
            #expect((back.cells.first { $0.isCode }?.metadata["tags"] as? [String]) == ["parameters"])
        }
        #expect(try TextForm.render(SmallLesson.notebook()).hasPrefix("// %% [markdown]\n// # A small lesson\n// %%\nlet numbers"))
        if let error = #expect(throws: (any Error).self, performing: { try TextForm.parse("let x = 1\n// %%\n") }) { #expect("\(error)".contains("before the first // %%")) }
        if let error = #expect(throws: (any Error).self, performing: { try TextForm.parse("// %% {not json\n") }) { #expect("\(error)".contains("not a JSON object")) }
    }
}
