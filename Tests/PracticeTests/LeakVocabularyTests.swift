import CellIO
import CellLanguage
import Foundation
import Practice
import Testing

/// The leak-finding vocabulary as a lesson uses it: planted flipped copies
/// found across a split, a split that keeps look-alikes together, reports
/// with a table and the pairs side by side, a folder of photos with a
/// broken file, and clear errors.
@Suite("finding leaks from cells")
struct LeakVocabularyTests {
    /// 20 pictures per species (whatever the species) and 20 flipped copies.
    static let setup = """
        let fish = Fish.synthetic(seed: 7, perClass: 20, imageSize: 96)
        let leaky = fish.addingFlippedCopies(20, seed: 1)
        let (train, test) = leaky.split(0.8, seed: 42)
        """

    /// How many pictures `fish` holds.
    func count(_ s: Session, _ name: String = "fish") -> Int { Int(run(s, "\(name).count").value?.plainText ?? "") ?? -1 }

    func run(_ s: Session, _ code: String) -> ExecutionResult {
        let r = s.execute(code, sink: RecordingSink())
        #expect(r.error == nil, "\(code): \(r.error?.evalue ?? "")")
        return r
    }

    /// The test pictures with a copy in training and those without split the
    /// test set in two, and the first are exactly what overlaps counts.
    @Test func lookAlikesAndTheRestPartTheTestSet() throws {
        let s = Session()
        _ = run(s, Self.setup)
        let leaked = try #require(Int(run(s, "overlaps(train, test)").value?.plainText ?? ""))
        #expect(leaked >= 1)
        #expect(run(s, "test.lookAlikes(in: train).count").value == Display.text("\(leaked)"))
        #expect(run(s, "test.lookAlikes(in: train).count + test.removingLookAlikes(in: train).count == test.count").value == Display.text("true"))
        #expect(run(s, "overlaps(train, test.removingLookAlikes(in: train))").value == Display.text("0"))
        #expect(run(s, "overlaps(train, test.lookAlikes(in: train))").value == Display.text("\(leaked)"))
        let points = s.execute("Points.spirals(count: 30, seed: 1).lookAlikes(in: Points.spirals(count: 30, seed: 1))", sink: RecordingSink())
        #expect(points.error?.evalue == "look-alikes are found among pictures; these samples have shape [2]")
    }

    @Test func overlapsFindsAFlippedCopyAcrossASplit() throws {
        let s = Session()
        _ = run(s, Self.setup)
        // Sample ids differ for every copy, so an id comparison would say 0; the pictures say otherwise.
        let leaked = try #require(Int(run(s, "overlaps(train, test)").value?.plainText ?? ""))
        #expect(leaked >= 1)
        #expect(run(s, "findLeaks(train, test).count").value == Display.text("\(leaked)"))
        let n = count(s)
        #expect(run(s, "overlaps(fish, fish)").value == Display.text("\(n)"))
        #expect(run(s, "leaky.duplicates().count >= 20").value == Display.text("true"))
        _ = run(s, "let (together, apart) = leaky.split(0.8, seed: 42, keepLookAlikesTogether: true)")
        #expect(run(s, "[overlaps(together, apart), overlaps(apart, together), together.count + apart.count]").value
                == Display.text("[0, 0, \(n + 20)]"))
        #expect(run(s, "findLeaks(together, apart).count").value == Display.text("0"))
        // Points in the plane are compared by value.
        _ = run(s, "let points = Points.spirals(count: 90, seed: 3)\nlet (a, b) = points.split(0.5, seed: 1)")
        #expect(run(s, "[overlaps(a, b), overlaps(points, a)]").value == Display.text("[0, 45]"))
    }

    @Test func reportsShowATableAndThePairsSideBySide() throws {
        let s = Session()
        _ = run(s, Self.setup)
        _ = run(s, "let (validation, rest) = test.split(0.5, seed: 1)")
        let report = try #require(run(s, "findLeaks(train, validation, rest)").value)
        let lines = report.plainText.split(separator: "\n").map(String.init)
        #expect(lines.first?.range(of: #"^\d+ look-alike pairs? across training, validation and test \("# + "\(count(s, "leaky")) pictures compared; ",
                                   options: .regularExpression) != nil, "\(lines.first ?? "")")
        #expect(lines.dropFirst().first?.range(of: "^part +picture +part +look-alike +difference +transform$", options: .regularExpression) != nil)
        #expect(lines.contains { $0.hasPrefix("training") && ($0.hasSuffix("vertical flip") || $0.hasSuffix("horizontal flip")) })
        let html = try #require(report.data["text/html"])
        #expect(html.contains("<table") && html.contains("<th style=\"text-align: right\">difference</th>"))
        #expect(html.contains("<img src=\"data:image/jpeg;base64,"), "pairs of photographs are shown as JPEG")
        let chart = try #require(run(s, "leaky.duplicates().show(4)").value)
        #expect(chart.data["image/jpeg"] != nil)
        #expect(chart.plainText.hasPrefix("20 look-alike pairs in this dataset (the first 4) — 4 pairs: "), "\(chart.plainText)")
        let none = try #require(run(s, "fish.split(0.5, seed: 3, keepLookAlikesTogether: true).0.duplicates()").value)
        #expect(none.plainText == "No look-alike pictures in this dataset (\(count(s) / 2) pictures compared).")
        #expect(run(s, "leaky.duplicates().table()").value?.plainText.contains("difference  transform") == true)
    }

    @Test func aFolderOfPhotosWithABrokenFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shoal-leak-vocabulary-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let s = Session()
        _ = run(s, Self.setup + "\nleaky.saveImages(\"\(folder.path)\")")
        let species = try #require(run(s, "fish.classes[0]").value?.plainText.trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
        try Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]).write(to: folder.appendingPathComponent("\(species)/broken.jpg"))
        let sink = RecordingSink()
        let r = s.execute("let found = findDuplicates(inFolder: \"\(folder.path)\")\nfound.count", sink: sink)
        #expect(r.error == nil)
        #expect(Int(r.value?.plainText ?? "") ?? 0 >= 20)
        #expect(sink.stderr.hasPrefix("1 file(s) could not be read and were skipped:\n  \(species)/broken.jpg: a damaged JPEG"), "\(sink.stderr)")
        let report = try #require(s.execute("found", sink: RecordingSink()).value)
        #expect(report.plainText.contains("(\(count(s, "leaky")) pictures compared, 1 unreadable skipped;"))
        #expect(report.plainText.contains("file  ") && report.plainText.contains("sizes"))
        #expect(report.plainText.contains("96×96 → 96×96"))
        #expect(report.plainText.contains("\nCould not be read (skipped):\n  \(species)/broken.jpg: a damaged JPEG"))
    }

    @Test func mistakesAreClearErrors() {
        let s = Session()
        _ = run(s, Self.setup + "\nlet points = Points.spirals(count: 30, seed: 3)")
        func error(_ code: String) -> String {
            let r = s.execute(code, sink: RecordingSink())
            return r.error.map { "\($0.ename): \($0.evalue)" } ?? "no error"
        }
        #expect(error("fish.duplicates(threshold: 12)")
                == "ValueError: threshold is how far two look-alikes may be from identical once lined up: 0 to 10, 1.25 by default; got 12")
        #expect(error("findLeaks(train, test, threshold: -1)").hasPrefix("ValueError: threshold is how far"))
        #expect(error("findLeaks(points, points)")
                == "ValueError: findLeaks compares pictures; the training samples have shape [2] (use overlaps for points)")
        #expect(error("points.duplicates()") == "ValueError: duplicates() compares pictures; these samples have shape [2]")
        #expect(error("overlaps(points, fish)") == "ValueError: cannot compare samples of shape [2] with samples of shape [96, 96, 3]")
        #expect(error("findDuplicates(inFolder: \"/no/such/folder\")") == "FileError: there is no folder at /no/such/folder; check the name")
        #expect(error("fish.addingFlippedCopies(0)") == "ValueError: count must be 1 to \(count(s)) (each picture is copied at most once), got 0")
        #expect(error("fish.split(1.0, seed: 1, keepLookAlikesTogether: true)") == "ValueError: the fraction must be between 0 and 1, got 1.0")
        #expect(error("findLeaks(train, test).show(0)") == "ValueError: show needs a count and columns of at least 1")
        #expect(error("findLeaks(fish, fish).show(2, columns: 1)") == "no error")
        #expect(error("fish.split(0.5, seed: 3, keepLookAlikesTogether: true).0.duplicates().show()")
                == "ValueError: there are no look-alike pairs to show")
    }

    @Test func inspectionAndCompletionShowTheVocabulary() throws {
        let s = Session()
        _ = run(s, Self.setup)
        for (marked, signature) in [
            ("findLe|aks(train, test)", "findLeaks(_ training: Dataset, _ validation: Dataset, _ test: Dataset? = nil, threshold: Double = 1.25) -> LookAlikes"),
            ("findDup|licates(inFolder: \"x\")", "findDuplicates(inFolder path: String, threshold: Double = 1.25) -> LookAlikes"),
            ("overl|aps(train, test)", "overlaps(_ a: Dataset, _ b: Dataset) -> Int"),
        ] {
            let scalars = Array(marked.unicodeScalars)
            let cursor = try #require(scalars.firstIndex(of: "|"))
            let code = String(String.UnicodeScalarView(scalars.filter { $0 != "|" }))
            let text = s.inspect(code, cursor: cursor)?.text ?? ""
            #expect(text.contains(signature), "\(text)")
            #expect(text.contains("look-alike"), "\(text)")
        }
        let members = s.complete("leaky.dup", cursor: 9).matches
        #expect(members == ["duplicates"])
        #expect(s.complete("fish.split(0.8, seed: 1, keep", cursor: 29).matches == ["keepLookAlikesTogether:"])
        _ = run(s, "let report = findLeaks(train, test)")
        #expect(Set(s.complete("report.", cursor: 7).matches).isSuperset(of: ["count", "show", "table"]))
    }
}
