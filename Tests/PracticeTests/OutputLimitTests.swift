import CellIO
import Practice
import Testing

/// A cell's output is cut at 10,000 lines or 5 MB of text and 1,000
/// displays, with notes saying where and how much was dropped; updates of a
/// display in place are thinned out, the last one always sent; huge values
/// are displayed in part.
@Suite struct OutputLimitTests {
    @Test func linesPastTheLimitAreCountedAndDropped() {
        let sink = RecordingSink()
        let r = Session().execute("for i in 0..<20_000 { print(\"line \\(i)\") }", sink: sink)
        #expect(r.error == nil)
        #expect(sink.stdout.split(separator: "\n").count == 10_000)
        #expect(sink.stdout.hasSuffix("line 9999\n"))
        #expect(sink.stderr == "… output cut here: a cell shows at most 10,000 lines or 5.0 MB of text\n"
                + "… 10,000 more lines (107 KB) of output were not shown\n")
    }

    @Test func oneLongLineIsCutAtTheByteLimitOnACharacter() {
        let sink = RecordingSink()
        var limits = Limits()
        limits.maxOutputBytes = 10
        let output = LimitedOutput(sink, limits: limits)
        output.write("🐟🐟🐟 fish", to: .stdout)
        output.write("more\n", to: .stdout)
        output.finish()
        #expect(sink.stdout == "🐟🐟")
        #expect(sink.stderr == "\n… output cut here: a cell shows at most 10,000 lines or 10 bytes of text\n"
                + "… 1 more line (14 bytes) of output were not shown\n")
    }

    @Test func displaysPastTheLimitAreDropped() {
        let sink = RecordingSink()
        _ = Session().execute("for i in 0..<1_200 { display(i) }", sink: sink)
        let shown = sink.events.filter { if case .display = $0 { return true } else { return false } }
        #expect(shown.count == 1_000)
        #expect(sink.stderr.hasSuffix("… 200 more displays were not shown\n"))
    }

    @Test func updatesInPlaceAreThinnedAndTheLastOneIsSent() {
        let sink = RecordingSink()
        nonisolated(unsafe) var now = 0.0
        let output = LimitedOutput(sink, limits: Limits(), clock: { now })
        output.display(.text("0"), id: "p", update: false)
        for i in 1...1_000 {
            now += 0.001
            output.display(.text("\(i)"), id: "p", update: true)
        }
        output.finish()
        let updates = sink.events.compactMap { e -> String? in
            if case .display(let d, "p", true) = e { return d.plainText } else { return nil }
        }
        // The first hundred all (a short loop shows every step), then one each 50 ms, then the last.
        #expect(Array(updates.prefix(100)) == (1...100).map(String.init))
        #expect(updates.count == 118, "\(updates)")
        #expect(updates.last == "1000")
    }

    @Test func aHugeValueIsDisplayedInPart() throws {
        let r = Session().execute("Array(0..<1_000_000)", sink: RecordingSink())
        let text = try #require(r.value).plainText
        #expect(text.hasPrefix("[0, 1, 2, 3, 4"))
        #expect(text.utf8.count < 100_200)
        #expect(text.hasSuffix("…\n(shown in part: the first 100 KB of its text; the array has 1,000,000 elements)"))
    }
}
