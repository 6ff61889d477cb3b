import Dispatch
import Foundation
import Synchronization
import TrainingEngine

/// One drawn picture with the fish's outline (fins included) as an 8-bit
/// mask of the same size, and the scene it was drawn in.
public struct FishPicture: Sendable {
    public let image: RGBImage
    /// 255 inside the fish, 0 outside, antialiased at the edge; row by row.
    public let mask: [UInt8]
    public let scene: FishScene

    /// The smallest box holding the visible part of the fish (mask ≥ 128),
    /// or nil when none of it is in the picture.
    public var box: (x0: Int, y0: Int, x1: Int, y1: Int)? {
        let n = image.width
        var (x0, y0, x1, y1) = (n, n, -1, -1)
        for y in 0..<image.height {
            for x in 0..<n where mask[y * n + x] >= 128 {
                (x0, y0, x1, y1) = (min(x0, x), min(y0, y), max(x1, x), max(y1, y))
            }
        }
        return x1 < 0 ? nil : (x0, y0, x1, y1)
    }
}

/// Fish that Shoal draws itself, so that every lesson runs offline with
/// pictures whose reuse is never in question. By default the course's three
/// species (perch, striped bass, trout) photographed the way anglers and
/// surveyors photograph them; the six bright reef species are a second set.
/// The same seed gives the same pictures on every machine.
public enum SyntheticFish {
    public enum Set: String, CaseIterable, Sendable {
        /// Perch, striped bass and trout, like the course's photos.
        case course
        /// Six reef species, clownfish among them, drawn simply.
        case reef
    }

    public struct Options: Hashable, Sendable {
        public var set: Set
        /// 0 (every fish shows its species plainly) to 1 (many look-alikes:
        /// faded bars, silver trout, bass in warm light, blur, small fish).
        public var difficulty: Double
        /// Striped bass mostly on measuring boards (85 %), the others rarely
        /// (3 %): a background a model can learn instead of the fish. These
        /// boards are the survey's: wide enough to fill most of the picture
        /// and printed with a 5 cm grid, so that an explanation can show the
        /// board apart from the fish (the default data's boards are narrow
        /// and plain).
        public var shortcut: Bool
        /// The shortcut the other way round: everything but striped bass on boards.
        public var swapped: Bool
        /// Every picture in this scene (nil: scenes drawn at random).
        public var scene: FishScene?

        public static let defaultDifficulty = 0.5

        public init(set: Set = .course, difficulty: Double = Options.defaultDifficulty, shortcut: Bool = false, swapped: Bool = false,
                    scene: FishScene? = nil) {
            (self.set, self.difficulty, self.shortcut, self.swapped, self.scene) = (set, difficulty, shortcut, swapped, scene)
        }

        func validate() throws {
            guard difficulty.isFinite, (0...1).contains(difficulty) else {
                throw InvalidArgument("difficulty must be between 0 (easy) and 1 (hard), not \(difficulty)")
            }
            if set == .reef && (shortcut || swapped || scene != nil) {
                throw InvalidArgument("backgrounds and the shortcut belong to the course's fish; the reef set is always drawn in water")
            }
        }

        var backgrounds: CourseFish.Backgrounds { swapped ? .swapped : (shortcut ? .shortcut : .independent) }
    }

    /// The species' names of a set, in label order.
    public static func speciesNames(_ set: Set = .course) -> [String] {
        switch set {
        case .course: CourseSpecies.allCases.map(\.name)
        case .reef: ReefFish.speciesNames
        }
    }

    /// One picture of species number `species` of the options' set,
    /// `size` × `size`, from the generator; `scene` forces a background.
    public static func render(species: Int, size: Int, options: Options = Options(), scene: FishScene? = nil,
                              random: inout EngineRandom) throws -> FishPicture {
        try options.validate()
        guard (16...1024).contains(size) else { throw InvalidArgument("fish pictures are 16 to 1024 pixels, not \(size)") }
        switch options.set {
        case .course:
            guard let s = CourseSpecies(rawValue: species) else { throw InvalidArgument("there is no fish species \(species)") }
            return try CourseFish.render(s, size: size, difficulty: options.difficulty, backgrounds: options.backgrounds,
                                         scene: scene ?? options.scene, random: &random)
        case .reef:
            return try ReefFish.render(species: species, size: size, random: &random)
        }
    }

    /// The pictures of a drawn dataset with their outlines.
    public struct Drawing: Sendable {
        public let dataset: LabelledDataset
        /// The fish's outline of each sample, by sample id (255 inside).
        public let masks: [[UInt8]]
        public let scenes: [FishScene]
    }

    /// `perClass` pictures of every species, `imageSize` square, scaled to
    /// [-1, 1]; drawn on all cores, each picture from its own seed derived
    /// from `seed`, so the result does not depend on the number of cores.
    public static func dataset(perClass: Int, imageSize: Int = 224, seed: UInt64 = 7, options: Options = Options()) throws -> LabelledDataset {
        try drawing(perClass: perClass, imageSize: imageSize, seed: seed, options: options).dataset
    }

    /// Like `dataset`, with every picture's outline and scene.
    public static func drawing(perClass: Int, imageSize: Int = 224, seed: UInt64 = 7, options: Options = Options()) throws -> Drawing {
        guard (1...5000).contains(perClass) else { throw InvalidArgument("perClass must be 1 to 5,000, got \(perClass)") }
        guard (16...1024).contains(imageSize) else { throw InvalidArgument("fish pictures are 16 to 1024 pixels, not \(imageSize)") }
        try options.validate()
        // The same request gives the same pictures: the last few are kept (a
        // re-run cell, or forty submissions of one lesson being graded).
        let key = Key(perClass: perClass, imageSize: imageSize, seed: seed, options: options)
        if let cached = recent.withLock({ $0.first { $0.key == key }?.drawing }) { return cached }
        let made = try draw(key)
        recent.withLock { list in
            list.insert((key, made), at: 0)
            if list.count > 2 { list.removeLast() }
        }
        return made
    }

    private struct Key: Hashable, Sendable {
        let perClass: Int, imageSize: Int, seed: UInt64, options: Options
    }

    private static let recent = Mutex<[(key: Key, drawing: Drawing)]>([])

    private static func draw(_ key: Key) throws -> Drawing {
        let names = speciesNames(key.options.set)
        var master = EngineRandom(seed: key.seed)
        let jobs = (0..<(key.perClass * names.count)).map { i in (species: i % names.count, seed: master.next()) }
        let n = key.imageSize, pixels = n * n * 3
        var inputs = try Tensor(uninitialized: [jobs.count, n, n, 3])
        let results = Mutex<[Int: (mask: [UInt8], scene: FishScene)]>([:])
        let failure = Mutex<Error?>(nil)
        inputs.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
                var random = EngineRandom(seed: jobs[i].seed)
                do {
                    let picture = try render(species: jobs[i].species, size: n, options: key.options, random: &random)
                    picture.image.pixels.withUnsafeBufferPointer { p in
                        for j in 0..<pixels { base[i * pixels + j] = Float(p[j]) / 127.5 - 1 }
                    }
                    results.withLock { $0[i] = (picture.mask, picture.scene) }
                } catch {
                    failure.withLock { $0 = error }
                }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        let done = results.withLock { $0 }
        let data = try LabelledDataset(inputs: inputs, labels: jobs.map(\.species), classNames: names)
        return Drawing(dataset: data, masks: jobs.indices.map { done[$0]?.mask ?? [] }, scenes: jobs.indices.map { done[$0]?.scene ?? .water })
    }
}
