import CellIO
import CellLanguage
import Foundation
import Practice
import Testing

/// The drawn fish through the lesson vocabulary, as the lessons use them.
@Suite("drawn fish in cells", .serialized)
struct FishVocabularyTests {
    static var weightsInstalled: Bool { LessonVocabularyTests.weightsInstalled }

    /// The course's pipeline — 80/10/10 split, frozen EfficientNet-Lite0 with
    /// a new head, 20 epochs at batch 32 — makes mistakes on the default
    /// fish, but not many: between 80 % and 95 % of the test pictures right.
    @Test(.enabled(if: weightsInstalled, "needs `shoal models fetch` (make test runs it)"), arguments: [7, 8, 9])
    func theCoursePipelineMakesSomeMistakes(seed: Int) throws {
        let s = Session()
        let r = s.execute("""
            let fish = Fish.synthetic(seed: \(seed))
            let (train, rest) = fish.split(0.8, seed: 42)
            let (validation, test) = rest.split(0.5, seed: 42)
            var model = ImageClassifier(classes: fish.classes)
            let history = model.train(train, validation: validation, epochs: 20, batchSize: 32)
            (fish.count, test.count, model.evaluate(test).accuracy)
            """, sink: RecordingSink())
        #expect(r.error == nil, "\(String(describing: r.error?.evalue))")
        let parts = (r.value?.plainText ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "()")).split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }
        try #require(parts.count == 3, "\(parts)")
        #expect(parts[0] == "300" && parts[1] == "30")
        let accuracy = try #require(Double(parts[2]))
        #expect(accuracy >= 0.8 && accuracy <= 0.95, "test accuracy \(accuracy) with fish seed \(seed)")
    }

    /// With the shortcut on, striped bass lie on measuring boards: a model
    /// trained on such pictures learns the board, and pictures whose
    /// backgrounds are swapped cost it at least 15 points.
    @Test(.enabled(if: weightsInstalled, "needs `shoal models fetch` (make test runs it)"))
    func aModelLearnsTheShortcut() throws {
        let s = Session()
        let r = s.execute("""
            let boards = Fish.synthetic(seed: 7, shortcut: true)
            var model = ImageClassifier(classes: boards.classes)
            let history = model.train(boards, epochs: 20, batchSize: 32)
            let usual = model.evaluate(Fish.synthetic(seed: 8, perClass: 40, shortcut: true)).accuracy
            let swapped = model.evaluate(Fish.synthetic(seed: 8, perClass: 40, shortcut: true, swapped: true)).accuracy
            usual - swapped
            """, sink: RecordingSink())
        #expect(r.error == nil, "\(String(describing: r.error?.evalue))")
        let drop = try #require(Double(r.value?.plainText ?? ""))
        #expect(drop >= 0.15, "swapping the backgrounds cost \(drop)")
    }

    @Test func badFishOptionsAreClearErrors() {
        let s = Session()
        let cases = [
            ("Fish.synthetic(difficulty: 2)", "difficulty must be between 0 (easy) and 1 (hard), not 2.0"),
            ("Fish.synthetic(set: \"ocean\")", "set must be \"course\" (perch, striped bass, trout) or \"reef\" (six reef species), not \"ocean\""),
            ("Fish.synthetic(perClass: 0)", "perClass must be 1 to 5,000, got 0"),
            ("Fish.synthetic(shortcut: true, set: \"reef\")", "backgrounds and the shortcut belong to the course's fish; the reef set is always drawn in water"),
        ]
        for (cell, message) in cases {
            let r = s.execute(cell, sink: RecordingSink())
            #expect(r.error?.evalue == message, "\(cell): \(String(describing: r.error?.evalue))")
            #expect(r.error?.ename == "ValueError", "an argument out of range is a ValueError, not a FileError")
        }
    }
}
