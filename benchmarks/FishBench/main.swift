import Datasets
import Dispatch
import Foundation
import TrainingEngine

// `make bench` (benchmarks/fish.py): drawing the default fish against
// EfficientNet-Lite0 looking at them, and the course pipeline's numbers on
// them. Also a tool for looking at the fish: `shoal-fish-bench grid FILE`.
//
//   shoal-fish-bench grid OUT.jpg [seed] [difficulty] [count] [size]
//   shoal-fish-bench course [perClass] [difficulty] [seeds...]
//   shoal-fish-bench speed [perClass]
//   shoal-fish-bench shortcut

let arguments = Array(CommandLine.arguments.dropFirst())
func argument(_ i: Int, _ fallback: Double) -> Double { i < arguments.count ? Double(arguments[i]) ?? fallback : fallback }
func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// ImageNet's fish: tench, goldfish, the sharks and rays, barracouta, eel,
/// coho, rock beauty, anemone fish, sturgeon, gar, lionfish, puffer.
let imageNetFish = Set(Array(0...6) + Array(389...397))

func grid(_ path: String) throws {
    let seed = UInt64(argument(2, 7)), difficulty = argument(3, SyntheticFish.Options.defaultDifficulty)
    let count = Int(argument(4, 36)), size = Int(argument(5, 224))
    let columns = min(6, count), rows = (count + columns - 1) / columns
    var pixels = [UInt8](repeating: 255, count: columns * size * rows * size * 3)
    var master = EngineRandom(seed: seed)
    let options = SyntheticFish.Options(difficulty: difficulty, shortcut: arguments.contains("shortcut"))
    for i in 0..<count {
        var r = EngineRandom(seed: master.next())
        let only = arguments.compactMap { $0.hasPrefix("species=") ? Int($0.dropFirst(8)) : nil }.first
        let picture = try SyntheticFish.render(species: only ?? i % 3, size: size, options: options, scene: forcedScene, random: &r)
        let (gx, gy) = (i % columns, i / columns)
        for y in 0..<size {
            for x in 0..<size {
                for c in 0..<3 {
                    pixels[((gy * size + y) * columns * size + gx * size + x) * 3 + c] = picture.image.pixels[(y * size + x) * 3 + c]
                }
            }
        }
    }
    let image = try RGBImage(width: columns * size, height: rows * size, pixels: pixels)
    try Data(ImageEncoder.jpeg(image, quality: 90)).write(to: URL(fileURLWithPath: path))
}

let forcedScene = arguments.compactMap { $0.hasPrefix("scene=") ? FishScene(rawValue: String($0.dropFirst(6))) : nil }.first

func course() throws {
    let perClass = Int(argument(1, 100)), difficulty = argument(2, SyntheticFish.Options.defaultDifficulty)
    let given = arguments.count > 3 ? arguments[3...].compactMap { UInt64($0) } : []
    let seeds = given.isEmpty ? [7, 8, 9] : given
    let pretrained = try EfficientNetLite0.pretrained(weights: EfficientNetLite0.cachedWeights)
    let backbone = Sequential(Array(pretrained.network.layers.prefix(EfficientNetLite0.featureLayers)))
    let top = Sequential(Array(pretrained.network.layers.dropFirst(EfficientNetLite0.featureLayers)))
    let extractor = FeatureExtractor(backbone: backbone, sampleShape: [224, 224, 3])
    for seed in seeds {
        let started = now()
        let drawing = try SyntheticFish.drawing(perClass: perClass, imageSize: 224, seed: seed,
                                                options: SyntheticFish.Options(difficulty: difficulty, scene: forcedScene))
        let fish = drawing.dataset
        let drawn = now()
        let features = try extractor.features(fish)
        let looked = now()
        let imageNet = try top.forward(features.inputs, training: false).scalars
        var fishy = [Int](repeating: 0, count: 3)
        var guesses = [String: Int]()
        var byScene = [FishScene: (Int, Int)]()
        var sceneGuesses = [FishScene: [String: Int]]()
        var speciesGuesses = [Int: [String: Int]]()
        for i in 0..<fish.count {
            let row = Array(imageNet[(i * 1000)..<((i + 1) * 1000)])
            let top5 = row.indices.sorted { row[$0] > row[$1] }.prefix(5)
            let isFish = top5.contains(where: imageNetFish.contains)
            if isFish { fishy[fish.labels[i]] += 1 }
            byScene[drawing.scenes[i], default: (0, 0)].0 += isFish ? 1 : 0
            byScene[drawing.scenes[i], default: (0, 0)].1 += 1
            guesses[ImageNetClasses.names[top5.first!], default: 0] += 1
            speciesGuesses[fish.labels[i], default: [:]][ImageNetClasses.names[top5.first!], default: 0] += 1
            sceneGuesses[drawing.scenes[i], default: [:]][ImageNetClasses.names[top5.first!], default: 0] += 1
        }
        let parts = try features.split(fractions: [0.8, 0.2], seed: 42)
        let rest = try parts[1].split(fractions: [0.5, 0.5], seed: 42)
        var r = EngineRandom(seed: 0)
        let head = try Model(network: Sequential([try Dropout(rate: 0.2, seed: r.next()), try Dense(1280, 3, random: &r)]),
                             inputShape: [1280], classNames: fish.classNames)
        let history = try head.fit(parts[0], epochs: 20, batchSize: 32, validation: rest[0], optimizer: Adam(learningRate: 0.001))
        let test = try head.evaluate(rest[1])
        let common = guesses.sorted { $0.value > $1.value }.prefix(6).map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        print(String(format: "seed %d: test %.1f%% (%d pictures), validation %.1f%%, training %.1f%% | ImageNet fish in top-5: %@ of %d | drawn %.2f s, features %.2f s",
                     Int(seed), 100 * test.accuracy, rest[1].count, 100 * (history.epochs.last?.validationAccuracy ?? 0),
                     100 * (history.epochs.last?.trainingAccuracy ?? 0), fishy.map(String.init).joined(separator: "/"), perClass,
                     drawn - started, looked - drawn))
        print("   top-1 guesses: \(common)")
        print("   fish in top-5 by scene: " + byScene.sorted { $0.key.rawValue < $1.key.rawValue }
            .map { "\($0.key.rawValue) \($0.value.0)/\($0.value.1)" }.joined(separator: ", "))
        print("   confusion: \(test.confusion)")
        if arguments.contains("verbose") {
            for (species, g) in speciesGuesses.sorted(by: { $0.key < $1.key }) {
                print("   \(fish.classNames[species]): " + g.sorted { $0.value > $1.value }.prefix(8).map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            }
            for (scene, g) in sceneGuesses.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                print("   \(scene.rawValue): " + g.sorted { $0.value > $1.value }.prefix(8).map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            }
        }
    }
}

func shortcut() throws {
    let pretrained = try EfficientNetLite0.pretrained(weights: EfficientNetLite0.cachedWeights)
    let extractor = FeatureExtractor(backbone: Sequential(Array(pretrained.network.layers.prefix(EfficientNetLite0.featureLayers))),
                                     sampleShape: [224, 224, 3])
    let train = try extractor.features(SyntheticFish.dataset(perClass: 100, seed: 7, options: .init(shortcut: true)))
    let same = try extractor.features(SyntheticFish.dataset(perClass: 40, seed: 8, options: .init(shortcut: true)))
    let swapped = try extractor.features(SyntheticFish.dataset(perClass: 40, seed: 8, options: .init(shortcut: true, swapped: true)))
    let plain = try extractor.features(SyntheticFish.dataset(perClass: 40, seed: 8))
    var r = EngineRandom(seed: 0)
    let head = try Model(network: Sequential([try Dropout(rate: 0.2, seed: r.next()), try Dense(1280, 3, random: &r)]),
                         inputShape: [1280], classNames: train.classNames)
    _ = try head.fit(train, epochs: 20, batchSize: 32, optimizer: Adam(learningRate: 0.001))
    let a = try head.evaluate(same).accuracy, b = try head.evaluate(swapped).accuracy, c = try head.evaluate(plain).accuracy
    print(String(format: "shortcut-trained head: %.1f%% on shortcut pictures, %.1f%% on swapped backgrounds, %.1f%% on independent ones", 100 * a, 100 * b, 100 * c))
}

/// Drawing the default fish against EfficientNet-Lite0 looking at the same
/// pictures (both on all cores, best of three alternating rounds).
func speed() throws {
    let perClass = Int(argument(1, 100))
    let extractor = FeatureExtractor(
        backbone: Sequential(Array(try EfficientNetLite0.pretrained(weights: EfficientNetLite0.cachedWeights).network.layers
            .prefix(EfficientNetLite0.featureLayers))), sampleShape: [224, 224, 3])
    var drawing = Double.infinity, looking = Double.infinity
    for round in 0..<3 {
        let started = now()
        // A new seed each round: the drawn fish are cached by seed.
        let fish = try SyntheticFish.dataset(perClass: perClass, imageSize: 224, seed: 1000 + UInt64(round))
        let drawn = now()
        _ = try FeatureExtractor(backbone: extractor.backbone, sampleShape: [224, 224, 3]).features(fish)
        drawing = min(drawing, drawn - started)
        looking = min(looking, now() - drawn)
    }
    print(String(format: "bench fish-drawing-%d: shoal %.2f s | EfficientNet-Lite0 features %.2f s | ratio %.2f",
                 3 * perClass, drawing, looking, looking / drawing))
}

switch arguments.first {
case "speed": try speed()
case "shortcut": try shortcut()
case "grid": try grid(arguments.count > 1 ? arguments[1] : "fish.jpg")
case "course": try course()
default: print("usage: shoal-fish-bench grid OUT.jpg [seed] [difficulty] [count] [size] | course [perClass] [difficulty] [seeds…]")
}
