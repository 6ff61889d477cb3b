import ArgumentParser
import Foundation
import Lessons

/// `shoal student`: the copy students get.
struct StudentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "student",
        abstract: "Write the student copy of a lesson: solutions replaced by // YOUR CODE HERE, hidden checks removed.")

    @Argument(help: "The instructor's source notebook.") var source: String
    @Option(name: .shortAndLong, help: "The folder to write the student copy into.") var output: String

    func run() throws {
        let url = URL(fileURLWithPath: source)
        do {
            let notebook = try Notebook(contentsOf: url)
            let exercises = try notebook.exercises()
            let destination = URL(fileURLWithPath: output).appendingPathComponent(url.lastPathComponent)
            guard destination.standardizedFileURL != url.standardizedFileURL else {
                throw ValidationError("the student copy would overwrite the source; choose another folder")
            }
            try notebook.studentCopy().write(to: destination)
            print("Wrote \(destination.path) (\(exercises.count) exercises)")
        } catch let e as LessonError { throw ValidationError(e.message) }
    }
}

/// `shoal validate`: the source passes, the student copy fails.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Run a lesson's source (every check must pass) and its student copy (every exercise must fail).")

    @Argument(help: "The instructor's source notebook.") var source: String

    func run() throws {
        do {
            let report = try ValidationReport.validate(try Notebook(contentsOf: URL(fileURLWithPath: source)))
            print(report.text)
            if !report.ok { throw ExitCode(1) }
        } catch let e as LessonError { throw ValidationError(e.message) }
    }
}

/// `shoal author init`: ids and points for marked cells.
struct AuthorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "author", abstract: "Tools for writing lessons.",
                                                    subcommands: [Init.self])

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give every cell with exercise markers an id and points in its metadata (metadata.shoal).")

        @Argument(help: "The lesson notebook (changed in place).") var lesson: String

        func run() throws {
            let url = URL(fileURLWithPath: lesson)
            do {
                let (notebook, added) = try Notebook(contentsOf: url).withExerciseIDs(prefix: url.deletingPathExtension().lastPathComponent)
                try notebook.write(to: url)
                print("\(added) exercise cell(s) got an id; \(try notebook.exercises().count) exercises in all")
            } catch let e as LessonError { throw ValidationError(e.message) }
        }
    }
}
