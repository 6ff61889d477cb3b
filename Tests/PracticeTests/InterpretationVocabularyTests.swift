import CellIO
import CellLanguage
import Foundation
import Practice
import Testing

/// Runs cells one after another in one session; the last one's result.
@discardableResult
func run(_ s: Session, _ cells: String...) -> ExecutionResult {
    var last: ExecutionResult?
    for cell in cells {
        let r = s.execute(cell, sink: RecordingSink())
        last = r
        if r.error != nil { return r }
    }
    return last!
}

@Suite("looking at a model", .serialized)
struct InterpretationVocabularyTests {
    static var weightsInstalled: Bool { LessonVocabularyTests.weightsInstalled }

    static let folder: String = {
        let path = NSTemporaryDirectory() + "shoal-interpret-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try? Data("not a picture".utf8).write(to: URL(fileURLWithPath: path + "/notes.jpg"))
        return path
    }()

    @Test(.enabled(if: weightsInstalled, "needs `shoal models fetch` (make test runs it)"))
    func explainPredictAndMistakesOnThePretrainedBackbone() throws {
        let s = Session()
        let trained = run(s, """
            let fish = Fish.synthetic(seed: 7, perClass: 12)
            let (train, test) = fish.split(0.75, seed: 42)
            var model = ImageClassifier(classes: fish.classes)
            let history = model.train(train, epochs: 10)
            let result = model.evaluate(test)
            test.saveImages("\(Self.folder)/photos")
            """)
        // Asking a frozen backbone for augmentation is refused, not silently ignored, and the model keeps its training.
        let refused = run(s, "model.train(train, epochs: 1, augmentation: true)")
        #expect(refused.error?.ename == "ValueError")
        #expect(refused.error?.evalue.contains("unfreeze") == true)
        #expect(trained.error == nil, "\(String(describing: trained.error?.evalue))")

        let explained = try #require(run(s, "model.explain(test.picture(0))").value)
        #expect(explained.plainText.hasPrefix("The model says "), "\(explained.plainText)")
        #expect(explained.metadata["image/jpeg"] != nil)
        let other = run(s, "model.explain(test.picture(0), species: \"trout\")")
        #expect(other.value?.plainText.contains("trout") == true)
        #expect(run(s, "model.explain(test.picture(0), species: \"cod\")").error?.evalue
                == "the model knows no class \"cod\"; its classes are perch, striped bass, trout")
        let grid = try #require(run(s, "model.showExplained(test, count: 6)").value)
        #expect(grid.plainText.hasPrefix("Where the model looked (predicted / actual): "))
        let firstCaption = grid.plainText.components(separatedBy: "images: ").last?.components(separatedBy: "; ").first ?? ""
        let said = firstCaption.components(separatedBy: " / ").first ?? "?"
        #expect(firstCaption.contains("\np(\(said)) "), "the percentage names the species it is the probability of: \(firstCaption)")

        // After fine-tuning the top of the backbone, explanations still work.
        let tuned = run(s, "model.unfreeze(layers: 2)", "let tuning = model.train(train, epochs: 1, batchSize: 9)",
                        "model.explain(\"\(Self.folder)/photos/trout/trout-1.jpg\")")
        #expect(tuned.value?.plainText.hasPrefix("The model says ") == true, "\(String(describing: tuned.error?.evalue))")
        // A history says whether the backbone learned in its run: the graders of lesson 4 check it.
        #expect(run(s, "(history.fineTunedLayers, tuning.fineTunedLayers)").value == Display.text("(0, 2)"))

        let predicted = try #require(run(s, "model.predict(\"\(Self.folder)/photos/perch/perch-1.jpg\")").value)
        #expect(predicted.metadata["image/jpeg"] != nil)
        #expect(predicted.plainText.contains("%); then "), "\(predicted.plainText)")
        let parts = run(s, """
            let (species, confidence) = model.predict(\"\(Self.folder)/photos/perch/perch-1.jpg\")
            let guess = model.predict(test.picture(1), top: 2)
            (fish.classes.contains(species), confidence > 0.33, guess.top.count, guess.species == guess.top[0].0)
            """)
        #expect(parts.value == Display.text("(true, true, 2, true)"), "\(String(describing: parts.error?.evalue))")
        #expect(run(s, "model.predict(\"\(Self.folder)/nowhere.jpg\")").error?.ename == "FileError")
        let notImage = run(s, "model.predict(\"\(Self.folder)/notes.jpg\")").error
        #expect(notImage?.ename == "FileError")
        #expect(notImage?.evalue.contains("notes.jpg cannot be read as a picture") == true, "\(String(describing: notImage?.evalue))")

        // The top losses are the evaluation's own per-picture losses, highest first.
        let top = run(s, """
            let sorted = result.losses.sorted(by: >)
            let mean = result.losses.reduce(0, +) / Double(result.losses.count)
            (abs(mean - result.loss) < 1e-4, sorted.count == test.count)
            """)
        #expect(top.value == Display.text("(true, true)"))
        let chart = try #require(run(s, "result.topLosses(4)").value)
        #expect(chart.plainText.contains("4 images: "))
        let losses = try #require(run(s, "result.losses.sorted(by: >).prefix(4).map { String(format: \"%.2f\", $0) }").value)
        for value in losses.plainText.split(separator: "\"").filter({ $0.contains(".") }) {
            #expect(chart.plainText.contains("loss \(value)"), "the grid shows loss \(value): \(chart.plainText)")
        }
        let confused = try #require(run(s, "result.mostConfused()").value)
        let mistakes = run(s, "test.count - (0..<3).map { result.confusion[$0][$0] }.reduce(0, +)")
        #expect(confused.plainText.contains("all mistakes"))
        #expect(confused.plainText.hasSuffix(mistakes.value?.plainText ?? "?"), "\(confused.plainText)")
    }

    @Test func explainingASmallNetworkAndItsLimits() {
        let s = Session()
        let trained = run(s, """
            let fish = Fish.synthetic(seed: 3, perClass: 8, imageSize: 32)
            var cnn = Sequential {
                Conv2D(3, 8, kernelSize: 3)
                ReLU()
                MaxPool(2)
                Flatten()
                Dense(2048, 3)
            }
            let h = cnn.train(fish, epochs: 2, batchSize: 8)
            """)
        #expect(trained.error == nil, "\(String(describing: trained.error?.evalue))")
        #expect(run(s, "cnn.explain(fish.picture(0))").value?.plainText.hasPrefix("The model says ") == true)
        #expect(run(s, "cnn.showExplained(fish, count: 3)").value?.plainText.contains("3 images") == true)
        let mlp = run(s, """
            var flat = Sequential {
                Flatten()
                Dense(3072, 3)
            }
            let h2 = flat.train(fish, epochs: 1)
            flat.explain(fish.picture(0))
            """)
        #expect(mlp.error?.ename == "ValueError")
        #expect(mlp.error?.evalue.contains("topLosses()") == true && mlp.error?.evalue.contains("ImageClassifier") == true,
                "\(String(describing: mlp.error?.evalue))")
        let untrained = run(s, "var fresh = Sequential {\n    Conv2D(3, 4, kernelSize: 3)\n    Flatten()\n    Dense(3600, 3)\n}",
                            "fresh.explain(fish.picture(0))")
        #expect(untrained.error?.evalue.hasPrefix("train the model before calling explain") == true)
        #expect(run(s, "flat.showExplained(fish)").error?.evalue.hasPrefix("showExplained needs a network with convolutional layers") == true)
        // A photo that is not there, not a picture, or a folder: a FileError naming it.
        for (cell, message) in [
            ("cnn.explain(\"\(Self.folder)/nowhere.jpg\")", "there is no file \(Self.folder)/nowhere.jpg"),
            ("cnn.predict(\"\(Self.folder)/notes.jpg\")", "\(Self.folder)/notes.jpg cannot be read as a picture: not a JPEG or PNG image"),
            ("Picture(\"\(Self.folder)\")", "\(Self.folder) is a folder, not a picture"),
        ] {
            let error = run(s, cell).error
            #expect(error?.ename == "FileError" && error?.evalue == message, "\(cell): \(String(describing: error?.evalue))")
        }
        #expect(run(s, "fish.picture(99)").error?.ename == "IndexError")
        #expect(run(s, "cnn.explain(42)").error?.ename == "TypeError")
    }

    /// The finder's suggestion lies in the swept range, and the model is as it was.
    @Test func learningRateFinderFromCells() {
        let s = Session()
        let r = run(s, """
            let points = Points.spirals(count: 300, classes: 3, seed: 7)
            var net = Sequential {
                Dense(2, 32)
                ReLU()
                Dense(32, 3)
            }
            let h = net.train(points, epochs: 2)
            let before = net.evaluate(points)
            let rates = net.findLearningRate(points, from: 0.0001, to: 10, steps: 60)
            let after = net.evaluate(points)
            (before.loss == after.loss, rates.suggested > 0.0001, rates.suggested < 10, rates.rates.count == rates.losses.count)
            """)
        #expect(r.value == Display.text("(true, true, true, true)"), "\(String(describing: r.error?.evalue))")
        let chart = run(s, "rates")
        #expect(chart.value?.metadata["image/png"] != nil)
        #expect(chart.value?.plainText.contains("suggested") == true)
        #expect(run(s, "net.findLearningRate(points, from: 1, to: 0.1)").error?.ename == "ValueError")
    }

    @Test func augmentationFromCells() {
        let s = Session()
        let r = run(s, """
            let fish = Fish.synthetic(seed: 3, perClass: 4, imageSize: 48)
            let changes = Augmentation(rotation: 20, zoom: 0.15, crop: 0.2, hue: 0.05, saturation: 0.3, blur: 1)
            showAugmented(fish.picture(0), count: 5, augmentation: changes, seed: 2)
            """)
        #expect(r.value?.plainText.hasPrefix("What training sees: 5 random versions — 6 images: original; ") == true,
                "\(String(describing: r.value?.plainText ?? r.error?.evalue))")
        let again = run(s, "showAugmented(fish.picture(0), count: 5, augmentation: changes, seed: 2)")
        #expect(again.value == r.value, "the same seed draws the same versions")
        let trained = run(s, """
            var cnn = Sequential {
                Conv2D(3, 8, kernelSize: 3)
                ReLU()
                MaxPool(2)
                Flatten()
                Dense(4608, 3)
            }
            let h = cnn.train(fish, epochs: 1, batchSize: 4, augmentation: changes)
            h.trainingLoss.count
            """)
        #expect(trained.value == Display.text("1"), "\(String(describing: trained.error?.evalue))")
        #expect(run(s, "Augmentation(rotation: -5)").error?.evalue == "rotation (degrees) must be between 0 and 180, not -5.0")
        #expect(run(s, "cnn.train(fish, epochs: 1, augmentation: 3)").error?.ename == "TypeError")
    }

    /// Completion and inspection know the new words, with their documentation and example.
    @Test func completionAndInspectionShowThem() throws {
        let s = Session()
        run(s, "let points = Points.spirals(count: 60, seed: 1)", "var net = Sequential {\n    Dense(2, 3)\n}",
            "let h = net.train(points, epochs: 1)", "let result = net.evaluate(points)")
        #expect(s.complete("result.top", cursor: 10).matches == ["topLosses"])
        #expect(s.complete("result.most", cursor: 11).matches == ["mostConfused"])
        #expect(s.complete("net.findL", cursor: 9).matches == ["findLearningRate"])
        #expect(s.complete("net.expl", cursor: 8).matches == ["explain"])
        for (code, documentation, example) in [
            ("showAugmented", "versions of it as training sees them", "showAugmented(train.picture(0), count: 8)"),
            ("Augmentation", "Random changes training makes to every picture", "Augmentation(rotation: 20"),
            ("net.explain", "Where the model looked to decide (Grad-CAM)", "model.explain(test.picture(0))"),
            ("net.showExplained", "each with the heat map of where the model looked", "model.showExplained(test, count: 12)"),
            ("Picture", "A photo read from a JPEG or PNG file", "Picture(\"my-fish-photos"),
            ("net.predict", "shown as the photo beside", "model.predict(\"my-fish-photos"),
            ("net.findLearningRate", "the suggested rate is where the loss falls fastest", "rates.suggested"),
            ("result.topLosses", "the probability the model gave the actual class", "result.topLosses(9)"),
            ("result.mostConfused", "The pairs of classes the model mixes up", "result.mostConfused()"),
        ] {
            let i = try #require(s.inspect(code, cursor: code.unicodeScalars.count), "\(code)")
            #expect(i.text.contains(documentation) && i.text.contains(example), "\(code): \(i.text)")
        }
    }
}
