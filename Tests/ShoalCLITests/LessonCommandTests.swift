import Foundation
import Testing

/// The instructor's commands, run as an instructor runs them.
@Suite("shoal student, validate, grade, author")
struct LessonCommandTests {
    static let lesson = """
        {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
          {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null, "source": "let numbers = [1, 2, 3]"},
          {"cell_type": "code", "metadata": {"shoal": {"exercise": "sum", "points": 2}}, "outputs": [], "execution_count": null,
           "source": "// BEGIN SOLUTION\\nlet total = numbers.reduce(0, +)\\n// END SOLUTION\\ncheck(total > 0, \\"positive\\")\\n// BEGIN HIDDEN CHECKS\\ncheck(total == 6, \\"the total is 6\\")\\n// END HIDDEN CHECKS"},
          {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null,
           "source": "// BEGIN SOLUTION\\nlet count = numbers.count\\n// END SOLUTION\\n// BEGIN HIDDEN CHECKS\\ncheck(count == 3, \\"three numbers\\")\\n// END HIDDEN CHECKS"}
        ]}
        """

    func folder() throws -> String {
        let dir = NSTemporaryDirectory() + "shoal-lesson-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Self.lesson.write(toFile: dir + "/lesson.ipynb", atomically: true, encoding: .utf8)
        return dir
    }

    @Test func authorInitThenValidateThenStudentThenGrade() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Before init, the second exercise has no id.
        let early = try runShoal(["validate", dir + "/lesson.ipynb"])
        #expect(early.status != 0)
        #expect(early.stderr.contains("cell 3 has exercise markers but no id"))
        let initialised = try runShoal(["author", "init", dir + "/lesson.ipynb"])
        #expect(initialised.status == 0)
        #expect(initialised.stdout.contains("1 exercise cell(s) got an id; 2 exercises in all"))
        let valid = try runShoal(["validate", dir + "/lesson.ipynb"])
        #expect(valid.status == 0, "\(valid.stdout)\(valid.stderr)")
        #expect(valid.stdout.contains("ok    sum"))
        let student = try runShoal(["student", dir + "/lesson.ipynb", "-o", dir + "/handout"])
        #expect(student.status == 0)
        let copy = try String(contentsOfFile: dir + "/handout/lesson.ipynb", encoding: .utf8)
        #expect(copy.contains("YOUR CODE HERE") && !copy.contains("reduce(0, +)") && !copy.contains("the total is 6"))
        let graded = try runShoal(["grade", dir + "/lesson.ipynb", dir + "/handout/lesson.ipynb", dir + "/nothing.ipynb", "-o", dir + "/grades"])
        #expect(graded.status == 0, "\(graded.stderr)")
        #expect(graded.stderr.contains("graded 2 of 2"))
        let csv = try String(contentsOfFile: dir + "/grades/grades.csv", encoding: .utf8)
        #expect(csv.hasPrefix("submission,score,total,sum,lesson-2,problem\nlesson,0,3,0,0,\n"), "\(csv)")
        #expect(csv.contains("nothing,0,3,0,0,cannot read"))
        #expect(FileManager.default.fileExists(atPath: dir + "/grades/feedback/lesson.html"))
    }

    @Test func validateCatchesAnExerciseAnEmptyAnswerPasses() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let weak = Self.lesson.replacingOccurrences(of: "check(total == 6, \\\"the total is 6\\\")", with: "check(true, \\\"always\\\")")
            .replacingOccurrences(of: "check(total > 0, \\\"positive\\\")\\n", with: "")
        try weak.write(toFile: dir + "/weak.ipynb", atomically: true, encoding: .utf8)
        _ = try runShoal(["author", "init", dir + "/weak.ipynb"])
        let r = try runShoal(["validate", dir + "/weak.ipynb"])
        #expect(r.status != 0)
        #expect(r.stdout.contains("FAIL  sum: an empty answer passes"))
    }
}
