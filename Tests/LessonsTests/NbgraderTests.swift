import Foundation
import Testing
@testable import Lessons

@Suite("nbgrader export and import")
struct NbgraderTests {
    func nbgrader(_ cell: Cell) -> [String: Any]? { cell.metadata["nbgrader"] as? [String: Any] }

    @Test func anExerciseBecomesAnAnswerCellAndALockedTestCell() throws {
        let exported = try NbgraderFormat.export(try SmallLesson.notebook())
        let cells = exported.cells
        #expect(cells.count == 8, "three exercises, each cut in two")
        #expect(cells[2].source == "// BEGIN SOLUTION\nlet total = numbers.reduce(0, +)\n// END SOLUTION\n"
                + "let answered_sum = true  // keep this line: the checks below need it")
        #expect(cells[3].source == NbgraderFormat.testsLine + "\n" + "check(answered_sum, \"the answer cell above stopped with an error\")\n"
                + "check(total > 0, \"total should be positive\")\n// BEGIN HIDDEN TESTS\n"
                + "check(total == 6, \"the total of 1, 2 and 3 is 6\")\n// END HIDDEN TESTS")
        let answer = try #require(nbgrader(cells[2])), tests = try #require(nbgrader(cells[3]))
        #expect(answer["solution"] as? Bool == true && answer["grade"] as? Bool == false && answer["grade_id"] as? String == "sum")
        #expect(tests["grade"] as? Bool == true && tests["locked"] as? Bool == true && tests["points"] as? Int == 2)
        #expect(tests["grade_id"] as? String == "sum-checks" && tests["schema_version"] as? Int == 3)
        // The closing brace of a function stays with the answer.
        #expect(cells[6].source.hasSuffix("    // END SOLUTION\n}\nlet answered_square = true  // keep this line: the checks below need it"))
        #expect(cells[7].source.hasSuffix("// BEGIN HIDDEN TESTS\ncheck(square(7) == 49, \"square(7) should be 49\")\n// END HIDDEN TESTS"))
    }

    /// The kernel runs exported test cells (and any holding hidden tests)
    /// with Shoal's own `check` first; a student's own cells run as written.
    @Test func testCellsAreRecognisedByTheirFirstLineOrHiddenTests() throws {
        let cells = try NbgraderFormat.export(try SmallLesson.notebook()).cells
        #expect(cells.map { NbgraderFormat.runsBuiltinsFirst($0.source) } == [false, false, false, true, false, true, false, true])
        #expect(NbgraderFormat.runsBuiltinsFirst("let x = 1\n// BEGIN HIDDEN TESTS\ncheck(x == 1)\n// END HIDDEN TESTS"))
        #expect(!NbgraderFormat.runsBuiltinsFirst("func check(_ c: Bool, _ m: String) {}\n// " + NbgraderFormat.testsLine))
    }

    @Test func importingTheExportGivesTheLessonBack() throws {
        let lesson = try SmallLesson.notebook()
        let back = try NbgraderFormat.importing(try NbgraderFormat.export(lesson))
        #expect(back.cells.map(\.source) == lesson.cells.map(\.source))
        #expect(back.cells.map(\.exerciseID) == lesson.cells.map(\.exerciseID))
        #expect(back.cells.map(\.points) == lesson.cells.map(\.points))
        #expect(back.cells.map { $0.metadata["nbgrader"] == nil } == Array(repeating: true, count: lesson.cells.count))
    }

    @Test func checksInsideTheAnswersBlockAreRefused() throws {
        var lesson = try SmallLesson.notebook()
        var cells = lesson.cells
        cells[4].source = "func square(_ x: Int) -> Int {\n    // BEGIN SOLUTION\n    return x * x\n    // END SOLUTION\n"
            + "    // BEGIN HIDDEN CHECKS\n    check(square(7) == 49, \"no\")\n    // END HIDDEN CHECKS\n}"
        lesson.cells = cells
        #expect(throws: LessonError("cell 5 (exercise 'square'): hidden checks come before the answer ends; nbgrader needs the checks after it")) {
            try NbgraderFormat.export(lesson)
        }
    }

    func notebook(_ metadata: Any, type: String = "code") throws -> Notebook {
        let json: [String: Any] = ["nbformat": 4, "nbformat_minor": 5, "metadata": [:], "cells": [
            ["cell_type": "markdown", "source": "# Lesson", "metadata": [:]],
            ["cell_type": type, "source": "check(true, \"ok\")", "metadata": ["nbgrader": metadata], "outputs": [], "execution_count": NSNull()],
        ]]
        return try Notebook(data: JSONSerialization.data(withJSONObject: json))
    }

    @Test(arguments: [
        (["grade": true, "solution": false, "locked": true, "schema_version": 3, "grade_id": "a"] as [String: Any],
         "cell 2: metadata.nbgrader grade cell 'a' has no points (a number)"),
        (["grade": true, "solution": false, "locked": true, "schema_version": 2, "grade_id": "a", "points": 1],
         "cell 2: metadata.nbgrader has schema_version 2, not 3; upgrade the notebook with `nbgrader update` first"),
        (["grade": "yes", "solution": false, "locked": true, "schema_version": 3, "grade_id": "a", "points": 1],
         "cell 2: metadata.nbgrader 'grade' is not true or false"),
        (["grade": true, "solution": false, "locked": true, "schema_version": 3, "grade_id": "a b", "points": 1],
         "cell 2: metadata.nbgrader grade_id 'a b' has characters other than letters, digits, _ and -"),
        (["grade": true, "solution": true, "locked": false, "schema_version": 3, "grade_id": "a", "points": 1],
         "cell 2: metadata.nbgrader marks a manually graded answer ('a'): Shoal grades only by checks; make it an autograded answer with a test cell"),
        (["grade": true, "solution": false, "locked": true, "schema_version": 3, "grade_id": "a", "points": -1],
         "cell 2: metadata.nbgrader grade cell 'a' has -1.0 points; points cannot be negative"),
        (["grade": true, "solution": false, "locked": true, "schema_version": 3, "grade_id": "a", "points": 1, "colour": "red"],
         "cell 2: metadata.nbgrader has an unknown field 'colour'"),
    ])
    func malformedMetadataIsRefusedWithTheCellNamed(metadata: [String: Any], message: String) throws {
        #expect(throws: LessonError(message)) { try NbgraderFormat.importing(try notebook(metadata)) }
    }

    @Test func metadataThatIsNotAnObjectIsRefused() throws {
        #expect(throws: LessonError("cell 2: metadata.nbgrader is not an object")) { try NbgraderFormat.importing(try notebook("solution")) }
    }

    @Test func aTestCellAloneIsAnExerciseOfChecks() throws {
        let lesson = try NbgraderFormat.importing(try notebook(["grade": true, "solution": false, "locked": true, "schema_version": 3,
                                                                "grade_id": "q1", "points": 3]))
        let exercises = try lesson.exercises()
        #expect(exercises.map(\.id) == ["q1"] && exercises.map(\.points) == [3])
    }

    /// A lesson whose hidden check uses a name a lesson cell declares (`expected`).
    func lessonWithExpected() throws -> Notebook {
        var lesson = try SmallLesson.notebook()
        var cells = lesson.cells
        cells[1].source = "let numbers = [1, 2, 3]\nlet expected = 6"
        cells[2].source = cells[2].source.replacingOccurrences(of: "check(total == 6,", with: "check(total == expected,")
        lesson.cells = cells
        return lesson
    }

    /// The test cell records the lesson names its checks use with the
    /// fingerprint of the lesson cell that declares them; import drops the line.
    @Test func aTestCellRecordsTheLessonNamesItsChecksUse() throws {
        let lesson = try lessonWithExpected()
        let cells = try NbgraderFormat.export(lesson).cells
        let fingerprint = NbgraderFormat.fingerprint(lesson.cells[1].source)
        #expect(fingerprint.count == 16 && fingerprint == NbgraderFormat.fingerprint(lesson.cells[1].source + "  \n\n"))
        #expect(cells[3].source.components(separatedBy: "\n")[1] == NbgraderFormat.lessonNamesPrefix + " expected=" + fingerprint)
        // `total` is the answer's, `numbers` no check uses: only `expected` is recorded.
        #expect(NbgraderFormat.recordedLessonNames(cells[3].source) == ["expected": [fingerprint]])
        #expect(NbgraderFormat.recordedLessonNames(cells[7].source) == nil)
        let back = try NbgraderFormat.importing(try NbgraderFormat.export(lesson))
        #expect(back.cells.map(\.source) == lesson.cells.map(\.source))
    }

    /// The kernel's guard: an honest run passes; a student's cell that
    /// declares `expected` again, or an edited lesson cell, stops the checks.
    @Test func aRedeclaredLessonNameStopsTheTestCell() throws {
        let lesson = try lessonWithExpected()
        let cells = try NbgraderFormat.export(lesson).cells
        var honest = LessonNameGuard()
        for (n, cell) in cells[1...2].enumerated() { honest.ran(cell.source, place: "the cell run as In [\(n + 1)]") }
        #expect(honest.problem(before: cells[3].source) == nil)
        var shadowed = honest
        shadowed.ran("let total = 5\nlet expected = 5", place: "the cell run as In [3]")
        #expect(shadowed.problem(before: cells[3].source)
                == "these checks use 'expected', which the cell run as In [3] declares again: "
                + "the checks need the lesson's own 'expected', so leave it as the lesson sets it")
        #expect(shadowed.problem(before: "let x = 1") == nil, "only test cells are guarded")
        var edited = LessonNameGuard()
        edited.ran("let numbers = [1, 2, 3]\nlet expected = 5", place: "the cell run as In [1]")
        #expect(edited.problem(before: cells[3].source)?.hasPrefix("these checks use 'expected', which the cell run as In [1]") == true)
    }
}
