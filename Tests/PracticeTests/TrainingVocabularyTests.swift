import CellIO
import CellLanguage
import Foundation
import Practice
import Testing

/// A sink like a terminal: nothing it printed can be replaced.
final class TerminalLikeSink: OutputSink {
    var text = ""
    func write(_ t: String, to stream: OutputStreamName) { text += t }
    func display(_ display: Display, id: String?, update: Bool) { text += display.plainText + "\n" }
    func clearOutput(wait: Bool) {}
    func readLine(prompt: String) -> String? { nil }
    var showsLiveDisplays: Bool { false }
}

@Suite("training from cells")
struct TrainingVocabularyTests {
    static let training = """
        let points = Points.spirals(count: 300, classes: 3, seed: 7)
        let (train, validation) = points.split(0.8, seed: 42)
        var model = Sequential {
            Dense(2, 16)
            ReLU()
            Dense(16, 3)
        }
        let history = model.train(train, validation: validation, epochs: 4, batchSize: 16)
        """

    @Test func aNotebookSeesOneDisplayReplacedInPlace() throws {
        let s = Session()
        let sink = RecordingSink()
        let r = s.execute(Self.training, sink: sink)
        #expect(r.error == nil)
        var ids: [String?] = [], updates: [Bool] = []
        var last: Display?
        for case .display(let d, let id, let update) in sink.events { ids.append(id); updates.append(update); last = d }
        #expect(updates.first == false && updates.dropFirst().allSatisfy { $0 })
        #expect(Set(ids).count == 1 && ids.first??.hasPrefix("shoal-training-") == true)
        let final = try #require(last)
        for epoch in 1...4 { #expect(final.plainText.contains("\(epoch)/4")) }
        #expect(final.plainText.contains("4 epochs in"))
        #expect(final.data["text/html"]?.contains("<table") == true)
        #expect(final.plainText.hasPrefix("Training on 240 samples\n"), "\(final.plainText.prefix(80))")

        // A label names the run in the table's title, to tell several tables apart.
        let labelled = RecordingSink()
        _ = s.execute("var other = Sequential { Dense(2, 3) }\nother.train(train, epochs: 1, label: \"dropout\")", sink: labelled)
        var title = ""
        for case .display(let d, _, _) in labelled.events { title = String(d.plainText.prefix { $0 != "\n" }) }
        #expect(title == "Training on 240 samples (dropout)")
    }

    @Test func aTerminalSeesOneLinePerEpoch() {
        let s = Session()
        let sink = TerminalLikeSink()
        _ = s.execute(Self.training, sink: sink)
        let lines = sink.text.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("epoch ") }.count == 4)
        #expect(lines.first?.hasPrefix("epoch 1/4: loss ") == true)
        #expect(lines.last?.hasPrefix("4 epochs in") == true)
    }

    @Test func sameSeedSameHistory() {
        func run() -> Display? {
            let s = Session()
            _ = s.execute(Self.training, sink: RecordingSink())
            return s.execute("history.trainingLoss", sink: RecordingSink()).value
        }
        #expect(run() == run())
    }

    @Test func mistakesAreClearErrors() {
        let s = Session()
        _ = s.execute(Self.training, sink: RecordingSink())
        let wrongClasses = s.execute("""
            var small = Sequential { Dense(2, 2) }
            small.train(train, epochs: 1)
            """, sink: RecordingSink())
        #expect(wrongClasses.error?.evalue.contains("should output 3 values") == true)
        let notALayer = s.execute("Sequential { 42 }", sink: RecordingSink())
        #expect(notALayer.error?.evalue.contains("holds layers such as Dense(2, 32)") == true)
        let badSplit = s.execute("points.split(1.5)", sink: RecordingSink())
        #expect(badSplit.error?.ename == "ValueError")
        // overlaps compares what the samples hold: every spiral arm starts at (0, 0), so the
        // validation part's origin point has copies in training (and training's two in validation).
        #expect(s.execute("[overlaps(train, validation), overlaps(validation, train)]", sink: RecordingSink()).value == Display.text("[1, 2]"))
        #expect(s.execute("iterationsPerEpoch(samples: 240, batchSize: 16)", sink: RecordingSink()).value == Display.text("15"))
        #expect(s.execute("[history.trainingAccuracy.count, history.validationLoss.count, history.epochSeconds.count]",
                          sink: RecordingSink()).value == Display.text("[4, 4, 4]"))
    }

    @Test func modelSummaryAndMetricTables() throws {
        let s = Session()
        _ = s.execute(Self.training, sink: RecordingSink())
        let summary = try #require(s.execute("model.summary()", sink: RecordingSink()).value)
        #expect(summary.plainText.contains("Dense             3          51  trainable"), "\(summary.plainText)")
        #expect(summary.plainText.contains("total                        99  99 trainable"))
        #expect(summary.data["text/html"]?.contains("<th style=\"text-align: right\">output shape</th>") == true)
        let result = try #require(s.execute("model.evaluate(validation)", sink: RecordingSink()).value)
        #expect(result.plainText.hasPrefix("Results on 60 samples: accuracy "))
        #expect(result.plainText.contains("arm 3       20"))
        #expect(result.data["text/html"]?.contains("<img src=\"data:image/png;base64,") == true)
        let matrix = try #require(s.execute("model.evaluate(validation).confusionMatrix(normalized: true)", sink: RecordingSink()).value)
        #expect(matrix.metadata["image/png"] != nil)
        #expect(matrix.plainText.hasPrefix("Confusion matrix (share of each actual class) — 3×3"))
    }
}
