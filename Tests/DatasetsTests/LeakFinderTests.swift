import Foundation
import Testing
import TrainingEngine
@testable import Datasets

/// A folder of distinct drawn fish saved as JPEG, one sub-folder per species,
/// with planted copies (a flip or turn each, cropped, resized, brighter or
/// darker, re-encoded) beside their originals. Nothing here depends on how
/// the fish look: only on their being different pictures.
struct PlantedFolder {
    let root: URL
    /// Relative path → the original it was made from (originals map to themselves).
    let source: [String: String]
    /// Relative path of each copy → the transform that made it from its original.
    let transforms: [String: PictureTransform]
    /// How many distinct pictures.
    let pictures: Int
    var copies: Int { transforms.count }

    /// At least `pictures` distinct fish (a whole number per species) and `copies` planted copies.
    static func make(pictures: Int = 240, copies: Int = 60, seed: UInt64 = 3) throws -> PlantedFolder {
        let species = SyntheticFish.speciesNames().count
        let fish = try SyntheticFish.dataset(perClass: (pictures + species - 1) / species, imageSize: 224, seed: seed)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("shoal-planted-\(UUID().uuidString)")
        var source: [String: String] = [:], transforms: [String: PictureTransform] = [:]
        var names: [String] = []
        for i in 0..<fish.count {
            let species = fish.classNames[fish.labels[i]].replacingOccurrences(of: " ", with: "-")
            let name = "\(species)/photo-\(i).jpg"
            try FileManager.default.createDirectory(at: root.appendingPathComponent(species), withIntermediateDirectories: true)
            try Data(try ImageEncoder.jpeg(try fish.image(i), quality: 92)).write(to: root.appendingPathComponent(name))
            source[name] = name
            names.append(name)
        }
        var random = EngineRandom(seed: seed + 1)
        var order = Array(0..<fish.count)
        order.shuffle(using: &random)
        for (k, i) in order.prefix(copies).enumerated() {
            let t = PictureTransform.allCases[k % 8]
            let name = names[i].replacingOccurrences(of: "photo-", with: "copy-\(k)-of-")
            try Data(try PlantedCopy.jpeg(of: try fish.image(i), transform: t, random: &random)).write(to: root.appendingPathComponent(name))
            source[name] = names[i]
            transforms[name] = t
        }
        return PlantedFolder(root: root, source: source, transforms: transforms, pictures: fish.count)
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

@Suite("the leak finder")
struct LeakFinderTests {
    @Test func plantedCopiesAreFoundAndDistinctPicturesAreNot() throws {
        let folder = try PlantedFolder.make()
        defer { folder.remove() }
        let scan = try FolderScan.scan(folder.root)
        #expect(scan.skipped.isEmpty)
        #expect(folder.pictures >= 200 && folder.copies >= 50)
        #expect(scan.files.count == folder.pictures + folder.copies)
        let pairs = try LookAlikes.pairs(within: scan.signatures)
        var found = Set<String>(), named = 0, falsePairs: [(String, String)] = []
        for p in pairs {
            let (a, b) = (scan.files[p.first], scan.files[p.second])
            guard folder.source[a] == folder.source[b] else { falsePairs.append((a, b)); continue }
            // A copy and its original (two copies of one original count as found too).
            for name in [a, b] where folder.transforms[name] != nil { found.insert(name) }
            if let t = folder.transforms[b], folder.source[b] == a, p.transform == t { named += 1 }
            if let t = folder.transforms[a], folder.source[a] == b, p.transform == t.inverse { named += 1 }
        }
        #expect(Double(found.count) >= 0.95 * Double(folder.copies), "found \(found.count) of \(folder.copies) planted copies")
        #expect(Double(falsePairs.count) <= 0.01 * Double(scan.files.count), "false pairs: \(falsePairs)")
        #expect(Double(named) >= 0.95 * Double(found.count), "the transform was named for \(named) of \(found.count)")
    }

    @Test func aGroupedSplitOfTheFolderHasNoPairAcrossParts() throws {
        let folder = try PlantedFolder.make()
        defer { folder.remove() }
        let data = try ImageFolder.load(folder.root, imageSize: 224).dataset
        func pairsAcross(_ parts: [LabelledDataset]) throws -> Int {
            try LookAlikes.pairs(between: try LookAlikes.signatures(of: parts[0]), and: try LookAlikes.signatures(of: parts[1])).count
        }
        let plain = try data.split(fractions: [0.8, 0.2], seed: 42)
        #expect(try pairsAcross(plain) > 0, "a plain split of a folder with 60 copies should leak")
        let grouped = try data.splitKeepingLookAlikes(fractions: [0.8, 0.2], seed: 42)
        #expect(try pairsAcross(grouped) == 0)
        #expect(grouped[0].count + grouped[1].count == data.count)
        // Whole groups move, so the shares are close to 80/20 rather than exact, and every species is in both parts.
        #expect(abs(Double(grouped[0].count) / Double(data.count) - 0.8) < 0.03)
        #expect(grouped.allSatisfy { $0.classCounts.allSatisfy { $0 > 0 } })
        #expect(try data.splitKeepingLookAlikes(fractions: [0.8, 0.2], seed: 42).map(\.sampleIDs) == grouped.map(\.sampleIDs))
    }

    @Test func everyMirrorImageAndTurnIsNamed() throws {
        var random = EngineRandom(seed: 9)
        let picture = try SyntheticFish.render(species: 0, size: 160, random: &random).image.cropped(x: 0, y: 10, width: 160, height: 120)
        let original = PerceptualHasher.standard.signature(picture)
        for t in PictureTransform.allCases {
            let turned = PerceptualHasher.standard.signature(t.apply(to: picture))
            let pairs = try LookAlikes.pairs(between: [original], and: [turned])
            #expect(pairs.count == 1 && pairs.first?.transform == t, "\(t.name): \(pairs)")
            #expect((pairs.first?.difference ?? 100) < 0.5)
            // The other way round, the inverse transform.
            #expect(try LookAlikes.pairs(between: [turned], and: [original]).first?.transform == t.inverse)
        }
        #expect(PictureTransform.quarterTurnRight.apply(to: picture).width == 120)
    }

    @Test func aCorruptOrEmptyFileIsNamedAndSkipped() throws {
        let folder = try PlantedFolder.make(pictures: 9, copies: 2)
        defer { folder.remove() }
        let good = try Data(contentsOf: folder.root.appendingPathComponent(folder.source.keys.sorted()[0]))
        try Data(good.prefix(40)).write(to: folder.root.appendingPathComponent("broken.jpg"))
        try Data().write(to: folder.root.appendingPathComponent("empty.png"))
        try Data("not a picture".utf8).write(to: folder.root.appendingPathComponent("notes.jpg"))
        try Data("ignored".utf8).write(to: folder.root.appendingPathComponent("readme.txt"))
        let scan = try FolderScan.scan(folder.root)
        #expect(scan.files.count == folder.pictures + 2)
        let reasons = Dictionary(uniqueKeysWithValues: scan.skipped.map { ($0.path, $0.reason) })
        #expect(reasons.keys.sorted() == ["broken.jpg", "empty.png", "notes.jpg"])
        #expect(reasons["broken.jpg"]?.hasPrefix("a damaged JPEG") == true, "\(reasons)")
        #expect(reasons["empty.png"] == "the file is empty")
        #expect(reasons["notes.jpg"] == "not a JPEG or PNG image")
        #expect(try LookAlikes.pairs(within: scan.signatures).count >= 2)
    }

    @Test func badOptionsAreClearErrors() throws {
        let pictures = [PerceptualHasher.standard.signature(try RGBImage(width: 8, height: 8, pixels: [UInt8](repeating: 90, count: 192)))]
        for bad in [-1.0, 10.5, .nan] {
            #expect(throws: InvalidArgument("the threshold is how far two look-alikes may be from identical once lined up: 0 to 10, "
                                            + "1.25 by default; got \(LookAlikes.describe(bad))")) {
                try LookAlikes.pairs(within: pictures, threshold: bad)
            }
        }
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("shoal-no-such-folder-\(UUID().uuidString)")
        #expect(throws: ImageError("there is no folder at \(missing.path); check the name")) { try FolderScan.scan(missing) }
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("shoal-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect(throws: ImageError("\(empty.path) holds no JPEG or PNG pictures")) { try FolderScan.scan(empty) }
        let points = try LabelledDataset(inputs: Tensor(shape: [4, 2], scalars: [0, 1, 2, 3, 4, 5, 6, 7]), labels: [0, 1, 0, 1], classNames: ["a", "b"])
        #expect(throws: InvalidArgument("look-alikes are found among pictures; these samples have shape [2]")) { try LookAlikes.signatures(of: points) }
        let fish = try SyntheticFish.dataset(perClass: 2, imageSize: 32, seed: 1)
        #expect(throws: InvalidArgument("count must be 1 to \(fish.count) (each picture is copied at most once), got \(fish.count + 1)")) {
            try fish.addingMirroredCopies(fish.count + 1, seed: 0)
        }
        #expect(throws: InvalidArgument("split fractions must be non-negative and add up to 1, got [0.9, 0.2]")) {
            try fish.splitKeepingLookAlikes(fractions: [0.9, 0.2], seed: 0)
        }
        #expect(throws: ShapeError("\(fish.count) samples need \(fish.count) group numbers, got 3")) {
            try fish.split(fractions: [0.5, 0.5], seed: 0, groups: [0, 1, 2])
        }
    }

    @Test func mirroredCopiesAreFlippedPicturesOfTheSameClass() throws {
        let fish = try SyntheticFish.dataset(perClass: 5, imageSize: 48, seed: 2)
        let n = fish.count
        let leaky = try fish.addingMirroredCopies(10, seed: 4)
        #expect(leaky.count == n + 10 && leaky.classCounts.reduce(0, +) == n + 10)
        #expect(Set(leaky.sampleIDs).count == n + 10)
        let pairs = try LookAlikes.pairs(between: try LookAlikes.signatures(of: fish),
                                         and: try LookAlikes.signatures(of: try leaky.subset(Array(n..<(n + 10)))))
        #expect(Set(pairs.map(\.second)).count == 10)
        #expect(pairs.allSatisfy { [.horizontalFlip, .verticalFlip].contains($0.transform) && fish.labels[$0.first] == leaky.labels[n + $0.second] })
        #expect(try fish.addingMirroredCopies(10, seed: 4).inputs.scalars == leaky.inputs.scalars)
    }
}
