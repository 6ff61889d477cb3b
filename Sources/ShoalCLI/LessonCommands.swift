import ArgumentParser
import Foundation
import Lessons
import KernelMemory

/// Runs a lesson command, turning lesson errors into the usage error the
/// argument parser prints (one line, exit status 64).
func reportingLessonErrors(_ body: () throws -> Void) throws {
    do { try body() } catch let e as LessonError { throw ValidationError(e.message) }
}

/// `shoal student`: the copy students get.
struct StudentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "student",
        abstract: "Write the student copy of a lesson: solutions replaced by // YOUR CODE HERE, hidden checks removed.")

    @Argument(help: "The instructor's source notebook.") var source: String
    @Option(name: .shortAndLong, help: "The folder to write the student copy into.") var output: String

    func run() throws {
        let url = URL(fileURLWithPath: source)
        try reportingLessonErrors {
            let notebook = try Notebook(contentsOf: url)
            let exercises = try notebook.exercises()
            let destination = URL(fileURLWithPath: output).appendingPathComponent(url.lastPathComponent)
            guard destination.standardizedFileURL != url.standardizedFileURL else {
                throw ValidationError("the student copy would overwrite the source; choose another folder")
            }
            try notebook.studentCopy().write(to: destination)
            print("Wrote \(destination.path) (\(exercises.count) exercise\(exercises.count == 1 ? "" : "s"))")
        }
    }
}

/// `shoal validate`: the source passes, the student copy fails.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Run a lesson's source (every check must pass) and its student copy (every exercise must fail).")

    @Argument(help: "The instructor's source notebook.") var source: String

    func run() throws {
        try reportingLessonErrors {
            let report = try ValidationReport.validate(try Notebook(contentsOf: URL(fileURLWithPath: source)))
            print(report.text)
            if !report.ok { throw ExitCode(1) }
        }
    }
}

/// `shoal author init`: ids and points for marked cells.
struct AuthorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "author", abstract: "Tools for writing and grading lessons.",
                                                    subcommands: [Init.self, GradeCommand.self, ExportNbgraderCommand.self,
                                                                  ImportNbgraderCommand.self])

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give every cell with exercise markers an id and points in its metadata (metadata.shoal).")

        @Argument(help: "The lesson notebook (changed in place).") var lesson: String

        func run() throws {
            let url = URL(fileURLWithPath: lesson)
            try reportingLessonErrors {
                let (notebook, added) = try Notebook(contentsOf: url).withExerciseIDs(prefix: url.deletingPathExtension().lastPathComponent)
                try notebook.write(to: url)
                print("\(added) exercise cell(s) got an id; \(try notebook.exercises().count) exercises in all")
            }
        }
    }
}

/// `shoal grade`: grades, feedback, never a lost row.
struct GradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Grade submissions in-process and in parallel, with the hidden checks put back; write grades.csv, grades.json and feedback.")

    @Argument(help: "The instructor's source notebook.") var source: String
    @Argument(help: "The submitted notebooks.") var submissions: [String]
    @Option(name: .shortAndLong, help: "The folder for grades.csv, grades.json and feedback/.") var output: String
    @Option(name: .long, help: "Seconds each cell may run.") var cellSeconds: Double = 20
    @Option(name: .long, help: "Megabytes of memory the grader may hold, all submissions together (default: half the machine's).")
    var memoryMb: Int?

    func run() throws {
        if let memoryMb { MemoryBudget.limit = max(64, memoryMb) << 20 }
        try reportingLessonErrors {
            let notebook = try Notebook(contentsOf: URL(fileURLWithPath: source))
            var limits = HeadlessRun.defaultLimits
            limits.maxSeconds = cellSeconds
            let rows = try Grader.grade(source: notebook, submissions: submissions.map { URL(fileURLWithPath: $0) }, limits: limits) { done, total in
                FileHandle.standardError.write(Data("\rgraded \(done) of \(total)".utf8))
            }
            FileHandle.standardError.write(Data("\n".utf8))
            try Grader.write(rows, exercises: try notebook.exercises(), to: URL(fileURLWithPath: output))
            let mean = rows.isEmpty ? 0 : rows.reduce(0) { $0 + $1.score } / Double(rows.count)
            print("Graded \(rows.count) submissions (mean \(String(format: "%.2f", mean)) of \(rows.first?.total ?? 0)); "
                  + "grades and feedback in \(output)")
        }
    }
}

/// `shoal text`: a lesson as reviewable text, and back.
struct TextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text",
        abstract: "Convert a lesson between .ipynb and a // %% text form (.swift) for reviewing in diffs.")

    @Argument(help: "A .ipynb or .swift file.") var input: String
    @Option(name: .shortAndLong, help: "Where to write the other form.") var output: String

    func run() throws {
        let url = URL(fileURLWithPath: input)
        try reportingLessonErrors {
            if url.pathExtension == "ipynb" {
                try Data(try TextForm.render(try Notebook(contentsOf: url)).utf8).write(to: URL(fileURLWithPath: output))
            } else {
                guard let text = try? String(contentsOf: url, encoding: .utf8) else { throw ValidationError("cannot read \(input)") }
                try TextForm.parse(text).write(to: URL(fileURLWithPath: output))
            }
            print("Wrote \(output)")
        }
    }
}
