import CellIO
import CellLanguage
import Foundation
import Practice
import Testing

@Suite("Session")
struct SessionTests {
    @Test func resultDisplayAlwaysHasPlainText() {
        let s = Session()
        let r = s.execute("[1, 2, 3].map { $0 * 2 }", sink: RecordingSink())
        #expect(r.value == Display.text("[2, 4, 6]"))
    }

    @Test func tableColumnsOfNumbersStandRightAlignedAlsoWhenFormattedAsText() {
        let r = Session().execute("""
            table([[0.99, String(format: "%.3f", -log(0.99)), "61.1%"], [0.01, String(format: "%.3f", -log(0.01)), "7.5%"]],
                  columns: ["probability", "loss", "accuracy"])
            """, sink: RecordingSink())
        #expect(r.value?.plainText == """
            probability   loss  accuracy
            ───────────  ─────  ────────
                   0.99  0.010     61.1%
                   0.01  4.605      7.5%
            """, "\(r.value?.plainText ?? "")")
        let words = Session().execute("table([[\"cod\", \"1.5\"], [\"eel\", \"n/a\"]], columns: [\"species\", \"length\"])", sink: RecordingSink())
        #expect(words.value?.plainText == "species  length\n───────  ──────\ncod      1.5\neel      n/a", "a column with any word stays left-aligned")
    }

    @Test func statementCellHasNoResult() {
        let s = Session()
        let sink = RecordingSink()
        let r = s.execute("let x = 1\nprint(x)", sink: sink)
        #expect(r.value == nil && r.error == nil)
        #expect(sink.stdout == "1\n")
    }

    @Test func errorIsPresentedWithNameValueAndCaret() throws {
        let s = Session()
        let r = s.execute("let model = 1\nlet y = modle + 1", sink: RecordingSink())
        let e = try #require(r.error)
        #expect(e.ename == "NameError")
        #expect(e.evalue == "cannot find 'modle' in scope; did you mean 'model'?")
        #expect(e.traceback == [
            "cell:2:9: error: NameError: cannot find 'modle' in scope; did you mean 'model'?",
            "let y = modle + 1",
            "        ^~~~~",
        ])
    }

    /// A cell that declares a builtin's name gets one line saying whose is
    /// used where; the same names again, or other names, say nothing more.
    @Test func declaringABuiltinsNameIsNotedOnce() {
        let s = Session()
        let first = RecordingSink()
        _ = s.execute("func check(_ c: Bool, _ m: String) {}\nlet answer = 1", sink: first)
        #expect(first.stderr == "note: 'check' is the name of a Shoal builtin: this notebook's cells now use yours, "
                + "but a grader's checks always use Shoal's own.\n")
        let again = RecordingSink()
        _ = s.execute("func check(_ c: Bool, _ m: String) {}\nlet other = 2", sink: again)
        #expect(again.stderr == "")
        let two = RecordingSink()
        _ = s.execute("let print = 3\nlet abs = 4", sink: two)
        #expect(two.stderr.hasPrefix("note: 'print' and 'abs' are names of Shoal builtins:"))
        #expect(s.shadowedBuiltins == ["check", "print", "abs"])
        // A function's own parameters and locals are its business.
        let local = RecordingSink()
        _ = s.execute("func f(_ max: Int) -> Int { let min = 1\n return max + min }", sink: local)
        #expect(local.stderr == "")
    }

    @Test func lineOffsetShiftsReportedLines() throws {
        let s = Session()
        s.sourceName = "lesson.swift"
        let r = s.execute("print([1][4])", sink: RecordingSink(), lineOffset: 10)
        let e = try #require(r.error)
        #expect(e.traceback.first?.hasPrefix("lesson.swift:11:7: error: IndexError") == true)
    }

    @Test func interruptStopsARunningCellAndKeepsState() throws {
        let s = Session()
        _ = s.execute("var counter = 41", sink: RecordingSink())
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: ExecutionResult?
        let started = Date()
        Thread.detachNewThread {
            result = s.execute("counter += 1\nwhile true { counter += 0 }", sink: RecordingSink())
            done.signal()
        }
        Thread.sleep(forTimeInterval: 0.2)
        let cancelledAt = Date()
        s.cancellation.cancel()
        #expect(done.wait(timeout: .now() + 2) == .success)
        #expect(Date().timeIntervalSince(cancelledAt) < 0.25)
        #expect(Date().timeIntervalSince(started) < 3)
        let e = try #require(result?.error)
        #expect(e.ename == "Interrupted")
        let after = s.execute("counter", sink: RecordingSink())
        #expect(after.value == Display.text("42"))
    }

    @Test func timeLimitReportsResourceLimit() throws {
        var limits = Limits()
        limits.maxSeconds = 0.2
        let s = Session(limits: limits)
        let r = s.execute("var n = 0\nwhile true { n += 1 }", sink: RecordingSink())
        let e = try #require(r.error)
        #expect(e.ename == "ResourceLimit")
        #expect(e.evalue == "the cell ran longer than its time limit of 0.2 seconds")
    }

    /// A `while` loop counts its steps on its back edge, where `continue` goes too.
    @Test(arguments: [
        "while true { continue }",
        "var n = 0\nwhile n >= 0 { n += 1; if n > 0 { continue }; n = 0 }",
        "func spin() { outer: while true { var k = 0; while true { k += 1; if k > 2 { continue outer } } } }\nspin()",
        "var k = 0\nrepeat { k += 1; continue } while true",
    ])
    func timeLimitStopsLoopsThatOnlyContinue(_ source: String) throws {
        var limits = Limits()
        limits.maxSeconds = 0.2
        let s = Session(limits: limits)
        let r = s.execute(source, sink: RecordingSink())
        let e = try #require(r.error)
        #expect(e.ename == "ResourceLimit")
    }

    @Test func readLineUsesTheSinkAndFailsClearlyWithoutInput() throws {
        let s = Session()
        let sink = RecordingSink(inputs: ["Nemo"])
        let r = s.execute("let name = readLine() ?? \"\"\nprint(\"hello\", name)", sink: sink)
        #expect(r.error == nil)
        #expect(sink.stdout == "hello Nemo\n")
        let r2 = s.execute("readLine()", sink: RecordingSink())
        #expect(r2.error?.ename == "InputError")
    }

    @Test func sameSeedSameRandomNumbersAcrossSessions() {
        let program = "(0..<5).map { _ in Int.random(in: 0...1000) }"
        let a = Session().execute(program, sink: RecordingSink()).value
        let b = Session().execute(program, sink: RecordingSink()).value
        #expect(a != nil && a == b)
    }

    @Test func checkPassesSilentlyAndFailsWithItsMessage() throws {
        let s = Session()
        let ok = s.execute("check(1 + 1 == 2, \"arithmetic\")", sink: RecordingSink())
        #expect(ok.error == nil && ok.value == nil)
        let bad = s.execute("check(false, \"the training set should hold 70% of the images\")", sink: RecordingSink())
        #expect(bad.error?.ename == "CheckFailed")
        #expect(bad.error?.evalue == "the training set should hold 70% of the images")
    }
}

@Suite("cell files")
struct CellFileTests {
    @Test func splitsAtPercentMarkers() {
        let f = CellFile(text: "let a = 1\n// %%\nprint(a)\n\n// %% second\nprint(2)\n", splitCells: true)
        #expect(f.cells.map(\.source) == ["let a = 1", "print(a)\n", "print(2)\n"])
        #expect(f.cells.map(\.lineOffset) == [0, 2, 5])
    }

    @Test func wholeFileWithoutSplitting() {
        let f = CellFile(text: "let a = 1\n// %%\nprint(a)", splitCells: false)
        #expect(f.cells.count == 1)
    }
}
