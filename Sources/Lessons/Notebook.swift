import Foundation

/// A problem with a lesson or a submission, said with the cell it is in.
public struct LessonError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// An nbformat 4 notebook, kept as its JSON so that everything Shoal does
/// not touch (metadata, attachments, fields of newer versions) survives a
/// round trip.
public struct Notebook {
    public var json: [String: Any]

    public init(data: Data, name: String = "the notebook") throws {
        guard let object = try? JSONSerialization.jsonObject(with: data), let json = object as? [String: Any] else {
            throw LessonError("\(name) is not a notebook: it is not valid JSON")
        }
        guard let major = json["nbformat"] as? Int, major == 4, json["cells"] is [Any] else {
            throw LessonError("\(name) is not an nbformat 4 notebook")
        }
        self.json = json
    }

    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw LessonError("cannot read \(url.path)") }
        try self.init(data: data, name: url.lastPathComponent)
    }

    public var cells: [Cell] {
        get { (json["cells"] as? [[String: Any]] ?? []).map(Cell.init) }
        set { json["cells"] = newValue.map(\.json) }
    }

    public func data() throws -> Data {
        try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
    }

    public func write(to url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data().write(to: url, options: .atomic)
        } catch { throw LessonError("cannot write \(url.path): \(error.localizedDescription)") }
    }
}

/// One cell of a notebook.
public struct Cell {
    public var json: [String: Any]
    public init(json: [String: Any]) { self.json = json }

    public var type: String { json["cell_type"] as? String ?? "" }
    public var isCode: Bool { type == "code" }

    /// The cell's text (nbformat stores it as a string or a list of lines).
    public var source: String {
        get {
            if let s = json["source"] as? String { return s }
            return (json["source"] as? [String] ?? []).joined()
        }
        set { json["source"] = newValue }
    }

    public var metadata: [String: Any] {
        get { json["metadata"] as? [String: Any] ?? [:] }
        set { json["metadata"] = newValue }
    }

    /// `metadata.shoal.exercise`: the exercise this cell answers.
    public var exerciseID: String? { (metadata["shoal"] as? [String: Any])?["exercise"] as? String }
    /// `metadata.shoal.wrong`: plausible wrong answers that the exercise's
    /// checks must refuse (`shoal validate` tries each; students never see them).
    public var wrongAnswers: [String] { (metadata["shoal"] as? [String: Any])?["wrong"] as? [String] ?? [] }

    public var points: Double {
        let value = (metadata["shoal"] as? [String: Any])?["points"]
        return (value as? Double) ?? (value as? Int).map(Double.init) ?? 1
    }

    public mutating func clearOutputs() {
        guard isCode else { return }
        json["outputs"] = [Any]()
        json["execution_count"] = NSNull()
    }
}

/// The markers of an exercise cell (LESSONS.md):
///
///     // BEGIN SOLUTION … // END SOLUTION          → `// YOUR CODE HERE` for students
///     // BEGIN HIDDEN CHECKS … // END HIDDEN CHECKS → removed for students
public struct ExerciseText: Equatable {
    /// The student's view: solutions replaced, hidden checks removed.
    public let studentSource: String
    /// The hidden checks, to run after a submission's cell.
    public let hiddenChecks: String
    /// The cell as written without its hidden checks and marker lines (a
    /// submission that kept the markers, or the instructor's own source).
    public let withoutHiddenChecks: String
    public let hasSolution: Bool

    public static let placeholder = "// YOUR CODE HERE"

    /// No student text and no hidden checks (runs that use the source as written).
    public static let empty = ExerciseText(studentSource: "", hiddenChecks: "", hasSolution: false)

    init(studentSource: String, hiddenChecks: String, hasSolution: Bool) {
        (self.studentSource, self.hiddenChecks, self.hasSolution) = (studentSource, hiddenChecks, hasSolution)
        withoutHiddenChecks = studentSource
    }

    /// Splits a cell's text at its markers; `cell` (counted from 1) names it in errors.
    public init(_ source: String, cell: Int) throws {
        var student: [String] = [], hidden: [String] = [], kept: [String] = []
        enum Region { case plain, solution, hidden }
        var region = Region.plain
        var opened = 0
        var sawSolution = false
        for (n, line) in source.components(separatedBy: "\n").enumerated() {
            let marker = line.trimmingCharacters(in: .whitespaces)
            switch marker {
            case "// BEGIN SOLUTION":
                guard region == .plain else { throw LessonError("cell \(cell), line \(n + 1): BEGIN SOLUTION inside another marked region") }
                region = .solution
                opened = n + 1
                sawSolution = true
                let indent = line.prefix { $0 == " " || $0 == "\t" }
                student.append(indent + ExerciseText.placeholder)
            case "// END SOLUTION":
                guard region == .solution else { throw LessonError("cell \(cell), line \(n + 1): END SOLUTION without BEGIN SOLUTION") }
                region = .plain
            case "// BEGIN HIDDEN CHECKS":
                guard region == .plain else { throw LessonError("cell \(cell), line \(n + 1): BEGIN HIDDEN CHECKS inside another marked region") }
                region = .hidden
                opened = n + 1
            case "// END HIDDEN CHECKS":
                guard region == .hidden else { throw LessonError("cell \(cell), line \(n + 1): END HIDDEN CHECKS without BEGIN HIDDEN CHECKS") }
                region = .plain
            default:
                switch region {
                case .plain: student.append(line); kept.append(line)
                case .solution: kept.append(line)
                case .hidden: hidden.append(line)
                }
            }
        }
        switch region {
        case .plain: break
        case .solution: throw LessonError("cell \(cell): BEGIN SOLUTION on line \(opened) has no END SOLUTION")
        case .hidden: throw LessonError("cell \(cell): BEGIN HIDDEN CHECKS on line \(opened) has no END HIDDEN CHECKS")
        }
        while student.last?.isEmpty == true { student.removeLast() }
        studentSource = student.joined(separator: "\n")
        hiddenChecks = hidden.joined(separator: "\n")
        withoutHiddenChecks = kept.joined(separator: "\n")
        hasSolution = sawSolution
    }

    /// The student's view with `answer` written where the solution was.
    public func answered(with answer: String) -> String {
        studentSource.components(separatedBy: "\n").map { line in
            line.trimmingCharacters(in: .whitespaces) == ExerciseText.placeholder
                ? line.prefix { $0 == " " || $0 == "\t" } + answer : line
        }.joined(separator: "\n")
    }

    public static func hasMarkers(_ source: String) -> Bool {
        source.contains("// BEGIN SOLUTION") || source.contains("// BEGIN HIDDEN CHECKS")
    }
}

/// An exercise of a lesson: its id, points and cell.
public struct Exercise: Equatable {
    public let id: String
    public let points: Double
    /// Index of its cell in the source notebook.
    public let cellIndex: Int
    public let text: ExerciseText
}

extension Notebook {
    /// The exercises of an instructor's source notebook, checked: every
    /// marked cell has an id, ids are unique, markers are paired.
    public func exercises() throws -> [Exercise] {
        var seen: [String: Int] = [:]
        var out: [Exercise] = []
        for (i, cell) in cells.enumerated() where cell.isCode {
            let marked = ExerciseText.hasMarkers(cell.source)
            guard marked || cell.exerciseID != nil else { continue }
            let text = try ExerciseText(cell.source, cell: i + 1)
            guard let id = cell.exerciseID else {
                throw LessonError("cell \(i + 1) has exercise markers but no id in metadata.shoal: run `shoal author init`")
            }
            if let first = seen[id] { throw LessonError("cells \(first + 1) and \(i + 1) have the same exercise id '\(id)'") }
            seen[id] = i
            out.append(Exercise(id: id, points: cell.points, cellIndex: i, text: text))
        }
        return out
    }

    /// The student copy: solutions replaced by `// YOUR CODE HERE`, hidden
    /// checks removed, outputs of exercise cells cleared; everything else kept.
    public func studentCopy() throws -> Notebook {
        let exercises = try self.exercises()
        var copy = self
        var cells = copy.cells
        for e in exercises {
            cells[e.cellIndex].source = e.text.studentSource
            cells[e.cellIndex].clearOutputs()
            if var shoal = cells[e.cellIndex].metadata["shoal"] as? [String: Any], shoal["wrong"] != nil {
                shoal["wrong"] = nil
                cells[e.cellIndex].metadata["shoal"] = shoal
            }
        }
        copy.cells = cells
        return copy
    }

    /// Gives every marked cell an exercise id and points (1) where it has none.
    public func withExerciseIDs(prefix: String) throws -> (Notebook, added: Int) {
        var copy = self
        var cells = copy.cells
        var used = Set(cells.compactMap(\.exerciseID))
        var added = 0
        for (i, cell) in cells.enumerated() where cell.isCode && ExerciseText.hasMarkers(cell.source) {
            _ = try ExerciseText(cell.source, cell: i + 1)
            guard cell.exerciseID == nil else { continue }
            var n = used.count + 1
            while used.contains("\(prefix)-\(n)") { n += 1 }
            var metadata = cells[i].metadata
            metadata["shoal"] = ["exercise": "\(prefix)-\(n)", "points": 1]
            cells[i].metadata = metadata
            used.insert("\(prefix)-\(n)")
            added += 1
        }
        copy.cells = cells
        _ = try copy.exercises()   // duplicate ids are an error here too
        return (copy, added)
    }
}
