import Foundation
import Testing
@testable import Datasets
@testable import TrainingEngine

/// The fish Shoal draws: the course's species, photographed as anglers do,
/// with outlines, seeded, and seen as fish by the pretrained backbone.
@Suite("drawn fish")
struct FishTests {
    static var weightsInstalled: Bool { FileManager.default.fileExists(atPath: EfficientNetLite0.cachedWeights.path) }

    /// ImageNet's fish: tench, goldfish, the sharks and rays, barracouta, eel,
    /// coho, rock beauty, anemone fish, sturgeon, gar, lionfish, puffer.
    static let imageNetFish = Set(Array(0...6) + Array(389...397))

    @Test func theDefaultFishAreTheCoursesThreeSpecies() throws {
        let fish = try SyntheticFish.dataset(perClass: 2, imageSize: 32, seed: 3)
        #expect(fish.classNames == ["perch", "striped bass", "trout"])
        #expect(fish.classCounts == [2, 2, 2])
        let reef = try SyntheticFish.dataset(perClass: 1, imageSize: 32, seed: 3, options: .init(set: .reef))
        #expect(reef.classNames.count == 6 && reef.classNames.contains("clownfish"))
    }

    @Test func theSameSeedDrawsTheSamePictures() throws {
        func draw(_ seed: UInt64, _ species: Int) throws -> FishPicture {
            var r = EngineRandom(seed: seed)
            return try SyntheticFish.render(species: species, size: 96, random: &r)
        }
        for species in 0..<3 {
            let a = try draw(11, species), b = try draw(11, species), c = try draw(12, species)
            #expect(a.image == b.image && a.mask == b.mask)
            #expect(a.image != c.image)
        }
    }

    /// The outline marks the fish: the same fish in the same pose on two
    /// different backgrounds differs little inside its outline and a lot outside.
    @Test func theOutlineMarksTheFish() throws {
        var checked = 0
        for seed in UInt64(1)...12 {
            var r1 = EngineRandom(seed: seed), r2 = EngineRandom(seed: seed)
            let a = try SyntheticFish.render(species: Int(seed % 3), size: 128, options: .init(scene: .grass), random: &r1)
            let b = try SyntheticFish.render(species: Int(seed % 3), size: 128, options: .init(scene: .rocks), random: &r2)
            #expect(a.mask == b.mask, "the pose does not depend on the background")
            var inside = (0.0, 0), outside = (0.0, 0)
            for p in 0..<(128 * 128) {
                let d = (0..<3).reduce(0.0) { $0 + abs(Double(a.image.pixels[3 * p + $1]) - Double(b.image.pixels[3 * p + $1])) }
                if a.mask[p] == 255 { inside = (inside.0 + d, inside.1 + 1) } else if a.mask[p] == 0 { outside = (outside.0 + d, outside.1 + 1) }
            }
            let box = try #require(a.box)
            #expect(box.x0 <= box.x1 && box.y0 <= box.y1 && box.x1 < 128 && box.y1 < 128)
            #expect(inside.1 > 128 * 128 / 20, "the fish covers a good part of the picture (seed \(seed))")
            #expect(inside.0 / Double(inside.1) < 0.35 * outside.0 / Double(max(outside.1, 1)), "seed \(seed)")
            checked += 1
        }
        #expect(checked == 12)
    }

    @Test func optionsOutOfRangeAreClearErrors() {
        #expect(throws: InvalidArgument("difficulty must be between 0 (easy) and 1 (hard), not 1.5")) {
            try SyntheticFish.dataset(perClass: 1, imageSize: 32, options: .init(difficulty: 1.5))
        }
        #expect(throws: InvalidArgument.self) { try SyntheticFish.dataset(perClass: 1, imageSize: 32, options: .init(difficulty: .nan)) }
        #expect(throws: InvalidArgument.self) { try SyntheticFish.dataset(perClass: 1, imageSize: 32, options: .init(set: .reef, shortcut: true)) }
        #expect(throws: InvalidArgument("perClass must be 1 to 5,000, got 0")) { try SyntheticFish.dataset(perClass: 0) }
        #expect(throws: InvalidArgument("fish pictures are 16 to 1024 pixels, not 8")) { try SyntheticFish.dataset(perClass: 1, imageSize: 8) }
    }

    /// EfficientNet-Lite0 (ImageNet) sees a fish among its five best guesses
    /// in at least 80 % of 300 default pictures.
    @Test(.enabled(if: weightsInstalled, "needs `shoal models fetch` (make test runs it)"))
    func thePretrainedBackboneSeesFish() throws {
        let model = try EfficientNetLite0.pretrained(weights: EfficientNetLite0.cachedWeights)
        let fish = try SyntheticFish.dataset(perClass: 100, imageSize: 224, seed: 7)
        let logits = try model.logits(fish.inputs, batchSize: 32).scalars
        var seen = 0
        for i in 0..<fish.count {
            let row = logits[(i * 1000)..<((i + 1) * 1000)]
            let top5 = row.indices.sorted { row[$0] > row[$1] }.prefix(5).map { $0 - i * 1000 }
            if top5.contains(where: Self.imageNetFish.contains) { seen += 1 }
        }
        #expect(fish.count == 300)
        #expect(seen >= 240, "a fish class in the top 5 for \(seen) of 300 pictures")
    }
}
