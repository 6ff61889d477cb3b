import CellIO
import CellLanguage
import Foundation
import Practice
import Testing

/// Runs every program in Tests/Fixtures/cells. Each file is split into cells
/// at `// %%` lines and run through one Session. `// expect: TEXT` lines give
/// the expected output lines (printed text and cell results) in order;
/// `// expect error: Kind: message` marks the line where an error must be
/// reported, with its exact kind and message.
struct Fixture: CustomTestStringConvertible, Sendable {
    let url: URL
    var testDescription: String { url.lastPathComponent }

    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/cells")

    static var all: [Fixture] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".swift") }.sorted().map { Fixture(url: directory.appendingPathComponent($0)) }
    }
}

struct Expectations {
    var output: [String] = []
    var errors: [String] = []

    init(_ text: String) {
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if let r = line.range(of: "// expect: ") {
                output.append(String(line[r.upperBound...]))
            } else if line.hasSuffix("// expect:") {
                output.append("")
            } else if let r = line.range(of: "// expect error: ") {
                errors.append("line \(i + 1): \(line[r.upperBound...])")
            }
        }
    }
}

@Test("fixtures exist in quantity")
func fixtureCount() {
    #expect(Fixture.all.count >= 150)
}

/// Each fixture runs twice: with user functions compiled to register code
/// (as sessions run them) and walked as trees. Both must print the same.
@Test("cell fixture", arguments: Fixture.all, [true, false])
func runFixture(_ fixture: Fixture, compiled: Bool) throws {
    let text = try String(contentsOf: fixture.url, encoding: .utf8)
    let expected = Expectations(text)
    var limits = Limits()
    limits.maxSteps = 5_000_000
    let session = Session(limits: limits)
    session.interpreter.runtime.compilesFunctions = compiled
    var output: [String] = []
    var errors: [String] = []
    for cell in CellFile(text: text, splitCells: true).cells {
        let sink = RecordingSink(inputs: ["first line", "second line"])
        let result = session.execute(cell.source, sink: sink, lineOffset: cell.lineOffset)
        var printed = sink.stdout
        if printed.hasSuffix("\n") { printed.removeLast() }
        if !sink.stdout.isEmpty { output += printed.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
        if let v = result.value { output += v.plainText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
        if let e = result.error {
            let line = e.traceback.first.flatMap { first -> Int? in
                let parts = first.split(separator: ":")
                return parts.count > 1 ? Int(parts[1]) : nil
            }
            errors.append("line \(line.map(String.init) ?? "?"): \(e.ename): \(e.evalue)")
        }
    }
    let mode = compiled ? "compiled" : "tree"
    #expect(output == expected.output, "output of \(fixture.url.lastPathComponent) (\(mode))")
    #expect(errors == expected.errors, "errors of \(fixture.url.lastPathComponent) (\(mode))")
}
