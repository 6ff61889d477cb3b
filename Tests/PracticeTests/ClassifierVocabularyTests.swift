import CellIO
import CellLanguage
import Foundation
import Practice
import Testing

@Suite("lesson vocabulary", .serialized)
struct LessonVocabularyTests {
    static var weightsInstalled: Bool {
        let base = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"] ?? (NSHomeDirectory() + "/.cache")
        return FileManager.default.fileExists(atPath: base + "/shoal/efficientnet-lite0.safetensors")
    }

    @Test(.enabled(if: weightsInstalled, "needs `shoal models fetch` (make test runs it)"))
    func transferLearningOnTheSyntheticFish() throws {
        let fish3 = ["perch", "striped bass", "trout"]
        let s = Session()
        let sink = RecordingSink()
        let r = s.execute("""
            let fish = Fish.synthetic(seed: 7, perClass: 20)
            let (train, test) = fish.split(0.75, seed: 42)
            var model = ImageClassifier(classes: fish.classes)
            let history = model.train(train, validation: test, epochs: 15, batchSize: 16)
            model.evaluate(test).accuracy
            """, sink: sink)
        #expect(r.error == nil, "\(String(describing: r.error?.evalue))")
        #expect(Double(r.value?.plainText ?? "") ?? 0 >= 0.6, "well above chance (a third) on 15 test pictures")
        let grid = try #require(s.execute("model.showPredictions(test, count: 6)", sink: RecordingSink()).value)
        #expect(grid.plainText.hasPrefix("Predicted / actual: "))
        #expect(grid.metadata["image/jpeg"] != nil, "photographs are shown as JPEG")
        let guesses = try #require(s.execute("model.imageNetGuesses(test, count: 3, columns: 3)", sink: RecordingSink()).value)
        let captions = guesses.plainText.components(separatedBy: ": ").dropFirst().joined().components(separatedBy: "; ")
        #expect(captions.count == 3 && captions.allSatisfy { c in fish3.contains { c.hasPrefix($0 + "\n") } },
                "each picture is labelled with its species before ImageNet's guess: \(guesses.plainText)")
        let path = NSTemporaryDirectory() + "shoal-classifier-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path + ".safetensors") }
        _ = s.execute("model.export(\"\(path)\")", sink: RecordingSink())
        let loaded = s.execute("let again = loadModel(\"\(path)\")\nagain.accuracy(on: test) == model.evaluate(test).accuracy", sink: RecordingSink())
        #expect(loaded.value == Display.text("true"), "\(String(describing: loaded.error?.evalue))")
    }

    @Test func polynomialsFitAndOverfit() {
        let s = Session()
        let r = s.execute("""
            let xs = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
            let ys = xs.map { 3 * $0 * $0 - $0 + 2 }
            let c = fitPolynomial(x: xs, y: ys, degree: 2)
            (c.map { ($0 * 1000).rounded() / 1000 }, meanSquaredError(evaluatePolynomial(c, at: xs), ys) < 1e-12)
            """, sink: RecordingSink())
        #expect(r.value == Display.text("([2.0, -1.0, 3.0], true)"))
    }

    @Test func smallCNNFromCells() {
        let s = Session()
        let r = s.execute("""
            let fish = Fish.synthetic(seed: 3, perClass: 6, imageSize: 32)
            var cnn = Sequential {
                Conv2D(3, 8, kernelSize: 3)
                ReLU()
                MaxPool(2)
                Flatten()
                Dense(2048, 3)
            }
            let h = cnn.train(fish, epochs: 2, batchSize: 8, earlyStopping: 0, augmentation: true)
            h.trainingLoss.count
            """, sink: RecordingSink())
        #expect(r.value == Display.text("2"), "\(String(describing: r.error?.evalue))")
    }

    @Test func missingWeightsSayWhatToDo() {
        let s = Session()
        setenv("XDG_CACHE_HOME", "/nonexistent-cache", 1)
        defer { unsetenv("XDG_CACHE_HOME") }
        let r = s.execute("ImageClassifier(classes: [\"a\", \"b\"])", sink: RecordingSink())
        #expect(r.error?.evalue.contains("run `shoal models fetch`") == true)
    }
}
