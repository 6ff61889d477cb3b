import ArgumentParser
import Foundation
import Lessons

/// The line nbgrader needs to put `// YOUR CODE HERE` in Swift answers.
let nbgraderConfigLine = #"c.ClearSolutions.code_stub = {"swift": "// YOUR CODE HERE"}"#

/// `shoal author export-nbgrader`: a lesson in nbgrader's cell metadata.
struct ExportNbgraderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-nbgrader",
        abstract: "Write a lesson as an nbgrader source notebook: each exercise becomes an answer cell and a locked test cell with its points.")

    @Argument(help: "The instructor's source notebook.") var source: String
    @Option(name: .shortAndLong, help: "The folder to write it into (for nbgrader: COURSE/source/ASSIGNMENT).") var output: String

    func run() throws {
        let url = URL(fileURLWithPath: source)
        try reportingLessonErrors {
            let exported = try NbgraderFormat.export(try Notebook(contentsOf: url))
            let destination = try outputFile(for: url, in: output)
            try exported.write(to: destination)
            let count = exported.cells.filter { (($0.metadata["nbgrader"] as? [String: Any])?["grade"] as? Bool) == true }.count
            print("Wrote \(destination.path) (\(count) graded test cells)")
            print("nbgrader_config.py needs: \(nbgraderConfigLine)")
        }
    }
}

/// `shoal author import-nbgrader`: an nbgrader notebook as a Shoal lesson.
struct ImportNbgraderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-nbgrader",
        abstract: "Read an nbgrader source notebook back as a Shoal lesson: an answer cell and its test cell become one exercise.")

    @Argument(help: "The nbgrader notebook.") var source: String
    @Option(name: .shortAndLong, help: "The folder to write the lesson into.") var output: String

    func run() throws {
        let url = URL(fileURLWithPath: source)
        try reportingLessonErrors {
            let lesson = try NbgraderFormat.importing(try Notebook(contentsOf: url))
            let destination = try outputFile(for: url, in: output)
            try lesson.write(to: destination)
            print("Wrote \(destination.path) (\(try lesson.exercises().count) exercises)")
        }
    }
}

/// `folder/NAME.ipynb` for a source `NAME.ipynb`, never the source itself.
func outputFile(for source: URL, in folder: String) throws -> URL {
    let destination = URL(fileURLWithPath: folder).appendingPathComponent(source.lastPathComponent)
    guard destination.standardizedFileURL != source.standardizedFileURL else {
        throw ValidationError("the output would overwrite the source; choose another folder")
    }
    return destination
}
