import CellIO
import Foundation
import JupyterWire
import KernelServer
@testable import Lessons
@testable import ShoalCLI
import Testing

/// One mistake of each kind, as a learner makes it, and what they must read:
/// the error's own name and the caret under the right place.
struct Mistake: CustomStringConvertible, Sendable {
    let ename: String
    let code: String
    /// `LINE:COLUMN` of the place.
    let place: String
    /// The cell's line and the caret under it, as shown.
    let line: String
    let caret: String

    var description: String { ename }

    static let all: [Mistake] = [
        Mistake(ename: "ShapeError",
                code: "let points = Points.spirals(count: 30, classes: 2)\nvar model = Sequential { Dense(5, 2) }\nmodel.train(points, epochs: 1)",
                place: "3:1", line: "model.train(points, epochs: 1)", caret: "^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~"),
        Mistake(ename: "ResourceLimit", code: "func f(_ n: Int) -> Int { f(n + 1) }\nlet r = f(0)",
                place: "1:27", line: "func f(_ n: Int) -> Int { f(n + 1) }", caret: "                          ^~~~~~~~"),
        Mistake(ename: "FileError", code: "let model = loadModel(\"no-such-model\")",
                place: "1:13", line: "let model = loadModel(\"no-such-model\")", caret: "            ^~~~~~~~~~~~~~~~~~~~~~~~~~"),
        Mistake(ename: "TypeError", code: "let n: Int = \"three\"",
                place: "1:14", line: "let n: Int = \"three\"", caret: "             ^~~~~~~"),
        Mistake(ename: "NameError", code: "let model = 1\nlet y = modle + 1",
                place: "2:9", line: "let y = modle + 1", caret: "        ^~~~~"),
        Mistake(ename: "SyntaxError", code: "let = 3",
                place: "1:5", line: "let = 3", caret: "    ^"),
        Mistake(ename: "FatalError", code: "let epochs = 0\nprecondition(epochs > 0, \"train for at least one epoch\")",
                place: "2:1", line: "precondition(epochs > 0, \"train for at least one epoch\")",
                caret: "^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~"),
    ]

    /// The sandbox exists only where submissions are graded.
    static let sandboxEscape = Mistake(ename: "SandboxError", code: "let model = loadModel(\"/etc/hostname\")",
                                       place: "1:13", line: "let model = loadModel(\"/etc/hostname\")",
                                       caret: "            ^~~~~~~~~~~~~~~~~~~~~~~~~~")

    /// Checks a traceback shown under `source` (`cell`, `<stdin>`).
    func check(_ traceback: [String], source: String, channel: String) {
        #expect(traceback.count >= 3, "\(channel): \(traceback)")
        guard traceback.count >= 3 else { return }
        #expect(traceback[0].hasPrefix("\(source):\(place): error: \(ename): "), "\(channel): \(traceback[0])")
        #expect(traceback[1] == line, "\(channel)")
        #expect(traceback[2] == caret, "\(channel)")
    }
}

/// A kernel on in-memory sockets with the real Session behind it.
final class SessionKernel {
    let codec = WireCodec(key: "k")
    let shell, control, stdin, iopub, heartbeat: InMemorySocket
    let kernel: Kernel

    init() {
        let (ks, cs) = InMemorySocket.pair(), (kc, cc) = InMemorySocket.pair(), (ki, ci) = InMemorySocket.pair()
        let (kio, cio) = InMemorySocket.pair(), (kh, ch) = InMemorySocket.pair()
        shell = cs; control = cc; stdin = ci; iopub = cio; heartbeat = ch
        kernel = Kernel(key: "k", backend: SessionBackend(), sockets: (ks, kc, ki, kio, kh))
        kernel.log = { _ in }
        let k = kernel
        Thread.detachNewThread { k.run() }
    }

    deinit { kernel.stop() }

    /// The execute reply's content and the `error` message published on iopub.
    func execute(_ code: String) throws -> (reply: JSON, published: JSON?) {
        let m = Message(identities: [Array("client".utf8)], header: Message.header(type: "execute_request", session: "s"),
                        content: .object(["code": .string(code), "silent": .bool(false)]))
        try shell.send(codec.encode(m))
        let reply = try codec.decode(try #require(try shell.receive(timeout: 60)))
        var published: JSON?
        while let frames = try iopub.receive(timeout: 5) {
            let out = try codec.decode(frames)
            guard out.parentHeader["msg_id"] == m.header["msg_id"] else { continue }
            if out.msgType == "error" { published = out.content }
            if out.msgType == "status", out.content["execution_state"] == .string("idle") { break }
        }
        return (reply.content, published)
    }
}

/// A notebook of one exercise cell worth one point.
func exerciseNotebook(id: String, _ source: String) throws -> Notebook {
    let json: [String: Any] = [
        "nbformat": 4, "nbformat_minor": 5, "metadata": [String: Any](),
        "cells": [["cell_type": "code", "source": source, "outputs": [Any](), "execution_count": 1,
                   "metadata": ["shoal": ["exercise": id, "points": 1]]]],
    ]
    return try Notebook(data: try JSONSerialization.data(withJSONObject: json))
}

/// Grades one submission per mistake (each in its own sandbox) and reads the
/// feedback files a learner gets back.
enum GradedMistakes {
    static let feedback: Result<[String: String], Error> = Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shoal-mistakes-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        func notebook(_ source: String) throws -> Notebook { try exerciseNotebook(id: "answer", source) }
        let source = try notebook("// BEGIN SOLUTION\nlet answer = 42\n// END SOLUTION\ncheck(answer == 42, \"the answer is 42\")")
        var submissions: [URL] = []
        for m in Mistake.all + [Mistake.sandboxEscape] {
            let url = folder.appendingPathComponent("\(m.ename).ipynb")
            try notebook(m.code).data().write(to: url)
            submissions.append(url)
        }
        let rows = try Grader.grade(source: source, submissions: submissions)
        try Grader.write(rows, exercises: try source.exercises(), to: folder.appendingPathComponent("grades"))
        var texts: [String: String] = [:]
        for m in Mistake.all + [Mistake.sandboxEscape] {
            texts[m.ename] = try String(contentsOf: folder.appendingPathComponent("grades/feedback/\(m.ename).md"), encoding: .utf8)
        }
        return texts
    }

    /// The error's lines from a feedback file: the code block under the table.
    static func traceback(in markdown: String) -> [String] {
        let lines = markdown.components(separatedBy: "\n")
        guard let open = lines.firstIndex(where: { $0.hasPrefix("```") }), let close = lines[(open + 1)...].firstIndex(of: "```") else { return [] }
        return Array(lines[(open + 1)..<close])
    }
}

@Suite("each kind of error, the same everywhere a learner meets it")
struct ErrorKindTests {
    @Test(arguments: Mistake.all)
    func inTheKernel(_ mistake: Mistake) throws {
        let kernel = SessionKernel()
        let (reply, published) = try kernel.execute(mistake.code)
        #expect(reply["status"] == .string("error"))
        #expect(reply["ename"] == .string(mistake.ename))
        let traceback = reply["traceback"]?.array?.compactMap(\.string) ?? []
        mistake.check(traceback, source: "cell", channel: "kernel")
        #expect(published?["traceback"] == reply["traceback"], "the published error is the reply's")
        #expect(published?["evalue"] == reply["evalue"])
    }

    @Test(arguments: Mistake.all)
    func inShoalExec(_ mistake: Mistake) throws {
        let r = try runShoal(["exec", "-"], stdin: mistake.code)
        #expect(r.status == 1)
        mistake.check(r.stderr.components(separatedBy: "\n"), source: "<stdin>", channel: "shoal exec")
    }

    @Test(arguments: Mistake.all + [Mistake.sandboxEscape])
    func inGradingFeedback(_ mistake: Mistake) throws {
        let markdown = try #require(try GradedMistakes.feedback.get()[mistake.ename])
        #expect(markdown.contains("| answer | 0 / 1 | not yet: \(mistake.ename): "), "\(markdown)")
        mistake.check(GradedMistakes.traceback(in: markdown), source: "cell", channel: "grading feedback")
    }

    /// Apart from where they are shown (`cell`, `<stdin>`), the three give the same lines.
    @Test(arguments: Mistake.all.filter { $0.ename != "FileError" })
    func identicalWordForWord(_ mistake: Mistake) throws {
        let kernel = try SessionKernel().execute(mistake.code).reply["traceback"]?.array?.compactMap(\.string) ?? []
        let exec = try runShoal(["exec", "-"], stdin: mistake.code).stderr.components(separatedBy: "\n")
            .filter { !$0.isEmpty }.map { $0.replacingOccurrences(of: "<stdin>:", with: "cell:") }
        let graded = GradedMistakes.traceback(in: try #require(try GradedMistakes.feedback.get()[mistake.ename]))
        #expect(kernel == exec)
        #expect(kernel == graded)
    }

    /// An error inside the instructor's hidden checks never shows their code.
    @Test func hiddenChecksNeverShowTheirLines() throws {
        let exercise = try ExerciseText("// BEGIN SOLUTION\nlet a = 1\n// END SOLUTION\n// BEGIN HIDDEN CHECKS\ncheck(secret == 1, \"no\")\n// END HIDDEN CHECKS", cell: 0)
        let notebook = try exerciseNotebook(id: "e", "let a = 1")
        let results = HeadlessRun.run(notebook, exercises: [Exercise(id: "e", points: 1, cellIndex: 0, text: exercise)])
        #expect(results.first?.message?.hasPrefix("NameError: ") == true)
        #expect(results.first?.traceback == [])
    }
}
