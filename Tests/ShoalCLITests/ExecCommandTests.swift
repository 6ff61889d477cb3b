import Foundation
import Testing

/// Runs the built `shoal` binary as an instructor would from a terminal.
func runShoal(_ args: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let process = Process()
    process.executableURL = root.appendingPathComponent(".build/debug/shoal")
    process.arguments = args
    if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

func temporaryFile(_ text: String) throws -> String {
    let path = NSTemporaryDirectory() + "shoal-\(UUID().uuidString).swift"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

@Suite("shoal exec")
struct ExecCommandTests {
    @Test func printsOutputAndCellResults() throws {
        let path = try temporaryFile("let xs = [3, 1, 2]\nprint(xs.sorted())\n// %%\nxs.count\n")
        let r = try runShoal(["exec", path, "--cells"])
        #expect(r.status == 0)
        #expect(r.stdout == "[1, 2, 3]\n3\n")
        #expect(r.stderr.isEmpty)
    }

    @Test func errorsLookLikeTheCompilerAndExitWithStatusOne() throws {
        let path = try temporaryFile("let model = 1\n// %%\nprint(modle)\n// %%\nprint(\"not reached\")\n")
        let r = try runShoal(["exec", path, "--cells"])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == """
            \(path):3:7: error: NameError: cannot find 'modle' in scope; did you mean 'model'?
            print(modle)
                  ^~~~~

            """)
    }

    @Test func keepGoingRunsLaterCells() throws {
        let path = try temporaryFile("print([1][2])\n// %%\nprint(\"after\")\n")
        let r = try runShoal(["exec", path, "--cells", "--keep-going"])
        #expect(r.status == 1)
        #expect(r.stdout == "after\n")
    }

    @Test func wholeFileIsOneCellWithoutFlag() throws {
        let path = try temporaryFile("let a = 2\n// %%\na * 21\n")
        let r = try runShoal(["exec", path])
        #expect(r.stdout == "42\n")
    }

    @Test func readsStandardInput() throws {
        let r = try runShoal(["exec", "-"], stdin: "print(\"from stdin\")")
        #expect(r.status == 0)
        #expect(r.stdout == "from stdin\n")
    }

    @Test func missingFileIsAClearError() throws {
        let r = try runShoal(["exec", "/nonexistent/lesson.swift"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("cannot read '/nonexistent/lesson.swift'"))
    }
}
