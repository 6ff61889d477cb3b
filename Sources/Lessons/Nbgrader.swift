import CellLanguage
import Foundation
import JupyterWire
import Practice

/// Shoal exercises in nbgrader's cell metadata (schema version 3), both ways.
///
/// A Shoal exercise is one cell: the answer between `// BEGIN SOLUTION` and
/// `// END SOLUTION`, then its checks, the hidden ones between
/// `// BEGIN HIDDEN CHECKS` and `// END HIDDEN CHECKS`. nbgrader scores an
/// answer by a test cell of its own, so the export cuts the cell after its
/// last `// END SOLUTION`:
///
/// - the answer cell: `solution: true`, `grade_id` the exercise id, with the
///   solution markers as they are (nbgrader finds "BEGIN SOLUTION" in any
///   comment) and the cell's own metadata (`metadata.shoal` included, but
///   not the wrong answers `shoal validate` tries: nbgrader would release them);
/// - the test cell: `grade: true`, `locked: true`, `points`, `grade_id`
///   the exercise id and `-checks`, holding the checks, the hidden ones
///   between `// BEGIN HIDDEN TESTS` and `// END HIDDEN TESTS` (nbgrader's
///   own markers), and the cell's outputs. Its first line is `testsLine`:
///   the kernel runs such a cell with Shoal's own `check` and builtins
///   before the notebook's names (`runsBuiltinsFirst`), as `shoal author
///   grade` runs checks, so a student's `func check` never answers for it.
///
/// nbgrader runs the test cell even when the answer cell stopped with an
/// error, and functions an answer declares exist even then; Shoal's grader
/// gives such an answer nothing. So the answer cell ends with a line that
/// only runs when everything before it did (`let answered_ID = true`), and
/// the test cell starts by checking it.
///
/// A check that uses a name the lesson's own cells declare (`let
/// trainCount`, `func accuracy`) holds only with the lesson's declaration:
/// a student's cell that declares the name again could make a wrong answer
/// pass. The test cell's second line (`lessonNamesLine`) records, for each
/// such name, the fingerprints (SHA-256) of the texts of the lesson cells
/// that declare it. The kernel remembers which cell text last declared each
/// name (`LessonNameGuard`) and stops such a test cell with a failed check
/// naming the name and the cell that declared it again (or the lesson's
/// cell the student edited). nbgrader's autograde restores the test cell's
/// text, so its fingerprints are the instructor's; the lesson's cells are
/// not restored, which is why their texts are compared.
///
/// The import joins such a pair back into one cell (without those two
/// lines), so that export then import gives the notebook back. nbgrader
/// scores the test cell by its outputs: a failed `check` is an `error`
/// output, so it scores nothing.
public enum NbgraderFormat {
    public static let schemaVersion = 3
    public static let checksSuffix = "-checks"
    static let hiddenMarkers = [("// BEGIN HIDDEN CHECKS", "// BEGIN HIDDEN TESTS"), ("// END HIDDEN CHECKS", "// END HIDDEN TESTS")]
    /// The first line of an exported test cell.
    public static let testsLine = "// Shoal's checks: they use Shoal's own check and builtins, whatever the notebook declares"

    /// The start of an exported test cell's second line, when its checks
    /// use names the lesson's cells declare: `name=fingerprint,…` follow.
    public static let lessonNamesPrefix = "// Shoal's lesson names (the checks need them as the lesson's cells declare them):"

    /// A cell text's fingerprint: SHA-256 (its first 16 hex digits) of the
    /// text without spaces at line ends and blank lines at either end.
    public static func fingerprint(_ source: String) -> String {
        let lines = source.components(separatedBy: "\n").map { line in
            String(line.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed())
        }
        let text = lines.joined(separator: "\n").trimmingCharacters(in: .newlines)
        return String(sha256(Array(text.utf8)).hexString.prefix(16))
    }

    /// The line recording the lesson names `checks` use (names the exercise's
    /// own answer declares are the student's), nil when they use none.
    static func lessonNamesLine(checks: String, answer: String, lessonNames: [String: Set<String>]) -> String? {
        let used = CellNames(checks).used.subtracting(CellNames(answer).declared)
        let recorded = used.sorted().compactMap { name in
            lessonNames[name].map { "\(name)=" + Set($0.map(fingerprint)).sorted().joined(separator: ",") }
        }
        return recorded.isEmpty ? nil : ([lessonNamesPrefix] + recorded).joined(separator: " ")
    }

    /// Name → fingerprints, from a test cell's `lessonNamesLine` (nil without one).
    static func recordedLessonNames(_ code: String) -> [String: Set<String>]? {
        guard let line = code.split(separator: "\n").lazy.map({ $0.trimmingCharacters(in: .whitespaces) })
            .first(where: { $0.hasPrefix(lessonNamesPrefix) }) else { return nil }
        var out: [String: Set<String>] = [:]
        for pair in line.dropFirst(lessonNamesPrefix.count).split(separator: " ") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            out[String(parts[0]), default: []].formUnion(parts[1].split(separator: ",").map(String.init))
        }
        return out
    }

    /// Whether the kernel runs `code` as checks: an exported test cell
    /// (`testsLine` first), or one holding nbgrader's hidden tests (cells
    /// exported before `testsLine` existed). nbgrader's autograde puts the
    /// instructor's text back into test cells, so a student cannot remove it.
    public static func runsBuiltinsFirst(_ code: String) -> Bool {
        let lines = code.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        return lines.first { !$0.isEmpty } == testsLine || lines.contains("// BEGIN HIDDEN TESTS")
    }

    static let allowedKeys: Set<String> = ["schema_version", "grade", "locked", "solution", "task", "grade_id", "points",
                                           "checksum", "cell_type"]

    /// The nbgrader "source" version of a Shoal lesson (what goes in
    /// `source/ASSIGNMENT/` of an nbgrader course).
    public static func export(_ notebook: Notebook) throws -> Notebook {
        let exercises = try notebook.exercises()
        let session = Session()   // only to tell where an answer's braces close
        guard !exercises.isEmpty else { throw LessonError("the notebook has no exercises to grade") }
        let byCell = Dictionary(uniqueKeysWithValues: exercises.map { ($0.cellIndex, $0) })
        let lessonNames = CellTrace.lessonNames(of: notebook)
        var out: [Cell] = []
        for (i, cell) in notebook.cells.enumerated() {
            if cell.metadata["nbgrader"] != nil, byCell[i] != nil {
                throw LessonError("cell \(i + 1) already has nbgrader metadata; remove it or import the notebook with `shoal author import-nbgrader`")
            }
            guard let exercise = byCell[i] else { out.append(cell); continue }
            guard exercise.id.range(of: "^[A-Za-z0-9_-]+$", options: .regularExpression) != nil else {
                throw LessonError("cell \(i + 1): the exercise id '\(exercise.id)' cannot be an nbgrader grade_id (letters, digits, _ and - only)")
            }
            out += try split(cell, exercise: exercise, number: i + 1, lessonNames: lessonNames, isComplete: session.isCompleteCode)
        }
        var copy = notebook
        copy.cells = out
        return copy
    }

    /// The answer ends at the first line after its last `// END SOLUTION`
    /// where the code is complete (a function's closing brace stays with it).
    static func split(_ cell: Cell, exercise: Exercise, number: Int, lessonNames: [String: Set<String>] = [:],
                      isComplete: (String) -> Bool) throws -> [Cell] {
        let lines = cell.source.components(separatedBy: "\n")
        let trimmed = lines.map { $0.trimmingCharacters(in: .whitespaces) }
        var cut: Int?
        if let end = CheckedRun.answerEnd(lines, marker: "// END SOLUTION", isComplete: isComplete) {
            let exerciseName = "cell \(number) (exercise '\(exercise.id)')"
            guard end.complete else {
                throw LessonError("\(exerciseName): the checks sit inside a block the answer opens; nbgrader needs them after it")
            }
            guard !trimmed[...end.line].contains("// BEGIN HIDDEN CHECKS") else {
                throw LessonError("\(exerciseName): hidden checks come before the answer ends; nbgrader needs the checks after it")
            }
            cut = end.line
        }
        let checkLines = cut.map { Array(lines[($0 + 1)...]) } ?? lines
        guard checkLines.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            throw LessonError("cell \(number) (exercise '\(exercise.id)'): nothing after END SOLUTION to grade; "
                              + "nbgrader scores an answer by checks in a cell of their own")
        }
        let names = lessonNamesLine(checks: checkLines.joined(separator: "\n"), answer: exercise.text.withoutHiddenChecks,
                                    lessonNames: lessonNames)
        let testLines = [testsLine] + (names.map { [$0] } ?? []) + (cut == nil ? [] : [answeredCheck(exercise.id)])
            + checkLines.map(toNbgraderMarkers)
        var tests = Cell(json: ["cell_type": "code", "execution_count": cell.json["execution_count"] ?? NSNull(),
                                "outputs": cell.json["outputs"] ?? [Any](), "source": testLines.joined(separator: "\n")])
        tests.metadata = ["nbgrader": metadata(grade: true, solution: false, locked: true,
                                               id: exercise.id + checksSuffix, points: exercise.points)]
        if let id = cell.json["id"] as? String { tests.json["id"] = String((id + checksSuffix).suffix(64)) }
        guard let cut else { return [tests] }   // checks only: one test cell
        var answer = cell
        answer.source = (lines[...cut] + [answeredLine(exercise.id)]).joined(separator: "\n")
        answer.clearOutputs()
        answer.metadata["nbgrader"] = metadata(grade: false, solution: true, locked: false, id: exercise.id, points: nil)
        if var shoal = answer.metadata["shoal"] as? [String: Any], shoal["wrong"] != nil {
            shoal["wrong"] = nil   // nbgrader would hand the wrong answers `shoal validate` tries to students
            answer.metadata["shoal"] = shoal
        }
        return [answer, tests]
    }

    static func metadata(grade: Bool, solution: Bool, locked: Bool, id: String, points: Double?) -> [String: Any] {
        var m: [String: Any] = ["schema_version": schemaVersion, "grade": grade, "solution": solution, "locked": locked,
                                "task": false, "grade_id": id]
        if let points { m["points"] = points == points.rounded() && abs(points) < 1e15 ? Int(points) as Any : points }
        return m
    }

    /// The line that ends an exported answer cell, and the check that starts its test cell.
    static func answeredLine(_ id: String) -> String {
        "let \(answeredName(id)) = true  // keep this line: the checks below need it"
    }

    static func answeredCheck(_ id: String) -> String {
        "check(\(answeredName(id)), \"the answer cell above stopped with an error\")"
    }

    static func answeredName(_ id: String) -> String { "answered_" + id.replacingOccurrences(of: "-", with: "_") }

    static func toNbgraderMarkers(_ line: String) -> String { replacingMarker(line, hiddenMarkers) }
    static func fromNbgraderMarkers(_ line: String) -> String { replacingMarker(line, hiddenMarkers.map { ($1, $0) }) }

    static func replacingMarker(_ line: String, _ pairs: [(String, String)]) -> String {
        let body = line.trimmingCharacters(in: .whitespaces)
        for (from, to) in pairs where body == from {
            return String(line.prefix { $0 == " " || $0 == "\t" }) + to
        }
        return line
    }

    /// A Shoal lesson from an nbgrader notebook: an answer cell and the test
    /// cell right after it become one exercise cell; a test cell alone is an
    /// exercise of checks only; an answer cell without its test cell is an
    /// exercise worth 0 points. Other cells, read-only ones included, stay
    /// as they are. Malformed metadata is refused with the cell named.
    public static func importing(_ notebook: Notebook) throws -> Notebook {
        let cells = notebook.cells
        let roles = try cells.enumerated().map { i, cell in try role(of: cell, number: i + 1) }
        var seen: [String: Int] = [:]
        for (i, r) in roles.enumerated() {
            guard let id = r?.id else { continue }
            if let first = seen[id] { throw LessonError("cells \(first + 1) and \(i + 1) have the same nbgrader grade_id '\(id)'") }
            seen[id] = i
        }
        var out: [Cell] = []
        var i = 0
        while i < cells.count {
            defer { i += 1 }
            switch roles[i] {
            case nil, .readOnly?:
                out.append(cells[i])
            case .answer(let id)?:
                var merged = cells[i]
                merged.metadata["nbgrader"] = nil
                var answer = merged.source.components(separatedBy: "\n")
                if answer.last == answeredLine(id) { answer.removeLast() }
                merged.source = answer.joined(separator: "\n")
                var points = 0.0
                if i + 1 < cells.count, case .tests(_, let p)? = roles[i + 1] {
                    var checks = cells[i + 1].source.components(separatedBy: "\n")
                    if checks.first == testsLine { checks.removeFirst() }
                    if checks.first?.hasPrefix(lessonNamesPrefix) == true { checks.removeFirst() }
                    if checks.first == answeredCheck(id) { checks.removeFirst() }
                    merged.source += "\n" + checks.map(fromNbgraderMarkers).joined(separator: "\n")
                    merged.json["outputs"] = cells[i + 1].json["outputs"] ?? [Any]()
                    merged.json["execution_count"] = cells[i + 1].json["execution_count"] ?? NSNull()
                    points = p
                    i += 1
                }
                merged.metadata["shoal"] = shoalMetadata(merged.metadata["shoal"], id: id, points: points)
                out.append(merged)
            case .tests(let id, let points)?:
                var cell = cells[i]
                cell.metadata["nbgrader"] = nil
                var lines = cell.source.components(separatedBy: "\n")
                if lines.first == testsLine { lines.removeFirst() }
                if lines.first?.hasPrefix(lessonNamesPrefix) == true { lines.removeFirst() }
                cell.source = lines.map(fromNbgraderMarkers).joined(separator: "\n")
                let exerciseID = id.hasSuffix(checksSuffix) && seen[String(id.dropLast(checksSuffix.count))] == nil
                    ? String(id.dropLast(checksSuffix.count)) : id
                cell.metadata["shoal"] = shoalMetadata(cell.metadata["shoal"], id: exerciseID, points: points)
                out.append(cell)
            }
        }
        var copy = notebook
        copy.cells = out
        _ = try copy.exercises()   // markers paired, ids unique
        return copy
    }

    static func shoalMetadata(_ existing: Any?, id: String, points: Double) -> [String: Any] {
        var m = existing as? [String: Any] ?? [:]
        m["exercise"] = id
        guard !(m["points"] == nil && points == 1) else { return m }   // 1 is the default: leave it unwritten
        m["points"] = points == points.rounded() && abs(points) < 1e15 ? Int(points) as Any : points
        return m
    }

    enum Role {
        case answer(id: String), tests(id: String, points: Double), readOnly

        /// The grade_id of an answer or test cell (read-only cells are not counted).
        var id: String? {
            switch self {
            case .answer(let id), .tests(let id, _): return id
            case .readOnly: return nil
            }
        }
    }

    /// What an nbgrader cell is, with its metadata checked as nbgrader's schema 3 says.
    static func role(of cell: Cell, number: Int) throws -> Role? {
        guard let raw = cell.metadata["nbgrader"] else { return nil }
        func refuse(_ why: String) -> LessonError { LessonError("cell \(number): metadata.nbgrader \(why)") }
        guard let m = raw as? [String: Any] else { throw refuse("is not an object") }
        if let extra = m.keys.sorted().first(where: { !allowedKeys.contains($0) }) { throw refuse("has an unknown field '\(extra)'") }
        guard let raw = m["schema_version"], !isBool(raw), let version = raw as? Int else {
            throw refuse("has no schema_version; upgrade the notebook with `nbgrader update` first")
        }
        guard version == schemaVersion else {
            throw refuse("has schema_version \(version), not 3; upgrade the notebook with `nbgrader update` first")
        }
        func flag(_ key: String, required: Bool = true) throws -> Bool {
            guard let v = m[key] else {
                if required { throw refuse("has no '\(key)' (true or false)") }
                return false
            }
            guard isBool(v), let b = v as? Bool else { throw refuse("'\(key)' is not true or false") }
            return b
        }
        let (grade, solution, locked, task) = (try flag("grade"), try flag("solution"), try flag("locked"), try flag("task", required: false))
        guard grade || solution || locked || task else { return nil }
        guard let id = m["grade_id"] as? String, !id.isEmpty else { throw refuse("has no grade_id") }
        guard id.range(of: "^[A-Za-z0-9_-]+$", options: .regularExpression) != nil else {
            throw refuse("grade_id '\(id)' has characters other than letters, digits, _ and -")
        }
        if task { throw refuse("marks a task cell ('\(id)'): Shoal grades only by checks, so tasks cannot be imported") }
        if grade && solution {
            throw refuse("marks a manually graded answer ('\(id)'): Shoal grades only by checks; make it an autograded answer with a test cell")
        }
        if grade {
            guard cell.isCode else { throw refuse("marks a \(cell.type) cell as graded ('\(id)'): only code cells can hold checks") }
            guard let value = m["points"], !isBool(value), let points = (value as? Double) ?? (value as? Int).map(Double.init) else {
                throw refuse("grade cell '\(id)' has no points (a number)")
            }
            guard points >= 0, points.isFinite else { throw refuse("grade cell '\(id)' has \(points) points; points cannot be negative") }
            return .tests(id: id, points: points)
        }
        if solution {
            guard cell.isCode else { throw refuse("marks a \(cell.type) cell as an answer ('\(id)'): only code answers can be checked") }
            return .answer(id: id)
        }
        return .readOnly
    }

    /// JSONSerialization gives booleans as NSNumber: tell them from numbers.
    static func isBool(_ value: Any) -> Bool {
        if value is Bool && !(value is NSNumber) { return true }
        guard let n = value as? NSNumber else { return false }
        return String(cString: n.objCType) == "c"
    }
}

/// What the kernel remembers for nbgrader's test cells: which cell text
/// last declared each global name (read from the text whether or not the
/// cell ran to its end, as grading traces causes). A test cell whose
/// `NbgraderFormat.lessonNamesLine` records a name whose declaration in
/// effect came from another text does not run: it fails as the in-process
/// grader's check does, naming the name and the cell.
public struct LessonNameGuard {
    private var declaredBy: [String: (fingerprint: String, place: String)] = [:]

    public init() {}

    /// Records the names `code` declares; `place` names the cell in messages
    /// ("the cell run as In [4]").
    public mutating func ran(_ code: String, place: String) {
        // Most cells declare nothing: only those with a declaring keyword are parsed.
        guard code.contains("let") || code.contains("var") || code.contains("func") else { return }
        let names = CellNames(code).declared
        guard !names.isEmpty else { return }
        let fingerprint = NbgraderFormat.fingerprint(code)
        for name in names { declaredBy[name] = (fingerprint, place) }
    }

    /// Why the test cell `code` must fail before it runs, or nil.
    public func problem(before code: String) -> String? {
        guard NbgraderFormat.runsBuiltinsFirst(code), let recorded = NbgraderFormat.recordedLessonNames(code) else { return nil }
        for name in recorded.keys.sorted() {
            guard let last = declaredBy[name], recorded[name]?.contains(last.fingerprint) == false else { continue }
            return "these checks use " + CheckedRun.redeclared(name, place: last.place)
        }
        return nil
    }
}
