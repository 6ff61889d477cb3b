import Foundation
import Testing
@testable import Lessons

@Suite final class GradingTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("shoal-grading-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// A submission made from the small lesson: `answers` replaces the
    /// exercise cells' text by id (nil: the student copy's text), `edit` changes the cell list.
    func submission(_ name: String, answers: [String: String] = [:],
                    edit: ([[String: Any]]) -> [[String: Any]] = { $0 }) throws -> URL {
        let copy = try SmallLesson.notebook().studentCopy()
        var cells = copy.cells.map(\.json)
        for (i, c) in cells.enumerated() {
            if let id = Cell(json: c).exerciseID, let answer = answers[id] { cells[i]["source"] = answer }
        }
        var json = copy.json
        json["cells"] = edit(cells)
        let url = directory.appendingPathComponent(name + ".ipynb")
        try JSONSerialization.data(withJSONObject: json).write(to: url)
        return url
    }

    static let right = ["sum": "let total = numbers.reduce(0, +)", "double": "let doubled = numbers.map { $0 * 2 }",
                        "square": "func square(_ x: Int) -> Int { x * x }"]

    @Test func gradesEverySubmissionAndNeverLosesARow() throws {
        let source = try SmallLesson.notebook()
        var subs: [URL] = []
        subs.append(try submission("correct", answers: Self.right))
        subs.append(try submission("partly", answers: ["sum": "let total = 6", "double": "let doubled = [1, 2, 3]",
                                                       "square": "func square(_ x: Int) -> Int { x * x }"]))
        subs.append(try submission("empty"))
        subs.append(try submission("moved", answers: Self.right) { cells in [cells[0], cells[1], cells[4], cells[3], cells[2]] })
        subs.append(try submission("deleted", answers: Self.right) { cells in cells.filter { Cell(json: $0).exerciseID != "double" } })
        subs.append(try submission("stderr", answers: Self.right.merging(["sum": "warn(\"a warning\")\nlet total = numbers.reduce(0, +)"]) { $1 }))
        subs.append(try submission("loop", answers: Self.right.merging(["double": "while true {}\nlet doubled = [2, 4, 6]"]) { $1 }))
        subs.append(try submission("bomb", answers: Self.right.merging(["double": "let big = Array(repeating: 1, count: 2_000_000_000)\nlet doubled = [2, 4, 6]"]) { $1 }))
        let invalid = directory.appendingPathComponent("invalid.ipynb")
        try Data("{ this is not json".utf8).write(to: invalid)
        subs.append(invalid)
        subs.append(directory.appendingPathComponent("missing.ipynb"))
        // The instructor's own source, markers and all, scores full marks.
        let own = directory.appendingPathComponent("own.ipynb")
        try source.write(to: own)
        subs.append(own)

        var limits = HeadlessRun.defaultLimits
        limits.maxSeconds = 2
        let started = Date()
        let rows = try Grader.grade(source: source, submissions: subs, limits: limits)
        #expect(Date().timeIntervalSince(started) < 30)
        let scores = Dictionary(uniqueKeysWithValues: rows.map { ($0.submission, $0.score) })
        #expect(rows.count == subs.count, "one row per submission, always")
        #expect(scores == (["correct": 6, "partly": 4, "empty": 0, "moved": 6, "deleted": 4, "stderr": 6, "loop": 4, "bomb": 4,
                                "invalid": 0, "missing": 0, "own": 6]))
        let byName = Dictionary(uniqueKeysWithValues: rows.map { ($0.submission, $0) })
        #expect((byName["partly"]?.results.first { $0.id == "double" }?.message) == ("each number should be doubled"))
        #expect((byName["deleted"]?.results.first { $0.id == "double" }?.message) == ("the exercise cell is missing"))
        #expect(byName["invalid"]?.problem?.contains("not valid JSON") == true)
        #expect(byName["missing"]?.problem?.contains("cannot read") == true)
        #expect(byName["loop"]?.results.first { $0.id == "double" }?.message?.contains("ResourceLimit") == true)

        let out = directory.appendingPathComponent("grades")
        try Grader.write(rows, exercises: try source.exercises(), to: out)
        let csv = try String(contentsOf: out.appendingPathComponent("grades.csv"), encoding: .utf8)
        #expect((csv.split(separator: "\n").first) == "submission,score,total,sum,double,square,problem")
        #expect(csv.contains("\ncorrect,6,6,2,2,2,\n"), "\(csv)")
        #expect((csv.split(separator: "\n").count) == (subs.count + 1))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("grades.json"))) as? [[String: Any]]
        #expect(json?.count == subs.count)
        let feedback = try String(contentsOf: out.appendingPathComponent("feedback/partly.md"), encoding: .utf8)
        #expect(feedback.contains("Score: **4 of 6**"))
        #expect(feedback.contains("not yet: each number should be doubled"))
        #expect(!(feedback.contains("check(doubled == [2, 4, 6]")), "the hidden check's code never shows")
        #expect(try String(contentsOf: out.appendingPathComponent("feedback/partly.html"), encoding: .utf8).contains("<b>4 of 6</b>"))
    }

    /// Submissions that try to get out of their sandbox are stopped, reported, and the grader carries on.
    @Test func sandboxStopsEscapes() throws {
        let source = try SmallLesson.notebook()
        let secretFolder = directory.appendingPathComponent("instructor/secret-class")
        try FileManager.default.createDirectory(at: secretFolder, withIntermediateDirectories: true)
        let sourcePath = directory.appendingPathComponent("instructor").path
        let attempts: [String: String] = [
            "read-source": "let leak = ImageFolder(\"\(sourcePath)\", imageSize: 32)",
            "list-root": "let everything = ImageFolder(\"/\", imageSize: 32)",
            "climb": "let up = ImageFolder(\"../../..\", imageSize: 32)",
            "write-outside": "Fish.synthetic(seed: 1, perClass: 1, imageSize: 16).saveImages(\"\(directory.path)/planted\")",
            "read-model": "let stolen = loadModel(\"\(directory.path)/other.safetensors\")",
            "process": "system(\"ls\")",
        ]
        var subs: [URL] = []
        for (name, code) in attempts.sorted(by: { $0.key < $1.key }) {
            subs.append(try submission(name, answers: Self.right.merging(["sum": code + "\nlet total = numbers.reduce(0, +)"]) { $1 }))
        }
        subs.append(try submission("honest", answers: Self.right))
        let rows = try Grader.grade(source: source, submissions: subs)
        #expect(rows.count == subs.count)
        for row in rows where row.submission != "honest" {
            let sum = try #require(row.results.first { $0.id == "sum" })
            #expect(!sum.passed, "\(row.submission) got out")
            #expect(row.score == 4, "\(row.submission)")
            if row.submission != "process" {
                #expect(sum.message?.contains("sandbox") == true, "\(row.submission): \(sum.message ?? "")")
            }
        }
        #expect((rows.first { $0.submission == "honest" }?.score) == 6)
        #expect(!(FileManager.default.fileExists(atPath: directory.appendingPathComponent("planted").path)))
    }

    /// A submission's own `check` (or `print`) never answers for Shoal's:
    /// the instructor's checks call the builtins whatever the notebook declared.
    @Test func hiddenChecksCallShoalsOwnCheck() throws {
        let source = try SmallLesson.notebook()
        let ownCheck = "func check(_ c: Bool, _ m: String) {}\n"
        let subs = [
            try submission("same-cell", answers: Self.right.merging(["double": ownCheck + "let doubled = [1, 2, 3]"]) { $1 }),
            try submission("earlier-cell", answers: Self.right.merging(["sum": ownCheck + "let total = numbers.reduce(0, +)",
                                                                         "double": "let doubled = [1, 2, 3]"]) { $1 }),
            try submission("one-argument", answers: Self.right.merging(["double": "func check(_ c: Bool) {}\nlet doubled = [1, 2, 3]"]) { $1 }),
            try submission("honest", answers: Self.right),
        ]
        let rows = try Grader.grade(source: source, submissions: subs)
        let scores = Dictionary(uniqueKeysWithValues: rows.map { ($0.submission, $0.score) })
        #expect(scores == ["same-cell": 4, "earlier-cell": 4, "one-argument": 4, "honest": 6])
        for row in rows where row.submission != "honest" {
            let double = try #require(row.results.first { $0.id == "double" })
            #expect(double.message == "each number should be doubled", "\(row.submission): \(double.message ?? "")")
        }
    }

    /// A failed check names what stopped before it, cause first: a time limit
    /// in an earlier cell, then the name that cell never made.
    @Test func failedChecksNameTheirCauseFirst() throws {
        let source = try SmallLesson.notebook()
        let stuck = SmallLesson.cell("while true {}\nlet base = 6")
        let sumIndex = { (cells: [[String: Any]]) in cells.firstIndex { Cell(json: $0).exerciseID == "sum" }! }
        let subs = [
            try submission("slow-before", answers: Self.right.merging(["sum": "let total = base"]) { $1 }) { cells in
                var c = cells
                c.insert(stuck, at: sumIndex(cells))
                return c
            },
            try submission("slow-own", answers: Self.right.merging(["sum": "while true {}\nlet total = 6"]) { $1 }),
        ]
        var limits = HeadlessRun.defaultLimits
        limits.maxSeconds = 1
        let rows = try Grader.grade(source: source, submissions: subs, limits: limits)
        for row in rows {
            let sum = try #require(row.results.first { $0.id == "sum" })
            #expect(!sum.passed)
            let failed = sum.checks.filter { !$0.passed }
            #expect(!failed.isEmpty, "\(row.submission)")
            for check in failed {
                let problem = check.problem ?? ""
                #expect(problem.contains("stopped: ResourceLimit: the cell ran longer than its time limit"), "\(row.submission): \(problem)")
                let cause = problem.range(of: "time limit")?.lowerBound
                let consequence = problem.range(of: "cannot find")?.lowerBound
                #expect(cause != nil && consequence != nil && cause! < consequence!, "cause first: \(problem)")
            }
        }
    }
}
