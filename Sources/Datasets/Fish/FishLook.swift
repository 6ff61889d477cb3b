import Foundation
import TrainingEngine

/// A colour with components in [0, 1].
struct RGB {
    var r: Double, g: Double, b: Double
    init(_ r: Double, _ g: Double, _ b: Double) { (self.r, self.g, self.b) = (r, g, b) }

    func mixed(with o: RGB, _ t: Double) -> RGB { RGB(r + (o.r - r) * t, g + (o.g - g) * t, b + (o.b - b) * t) }
    func scaled(_ k: Double) -> RGB { RGB(r * k, g * k, b * k) }
    /// A little of each channel moved at random, for individual variation.
    func jittered(_ amount: Double, _ random: inout EngineRandom) -> RGB {
        let common = amount * Double(random.uniform(-1, 1))
        return RGB(clamp01(r * (1 + common) + amount * 0.5 * Double(random.uniform(-1, 1))),
                   clamp01(g * (1 + common) + amount * 0.5 * Double(random.uniform(-1, 1))),
                   clamp01(b * (1 + common) + amount * 0.5 * Double(random.uniform(-1, 1))))
    }
}

@inline(__always) func clamp01(_ x: Double) -> Double { min(1, max(0, x)) }
@inline(__always) func smoothstep(_ a: Double, _ b: Double, _ x: Double) -> Double {
    let t = clamp01((x - a) / (b - a))
    return t * t * (3 - 2 * t)
}

extension EngineRandom {
    mutating func double(_ low: Double, _ high: Double) -> Double { low + (high - low) * Double(unit()) }
    mutating func chance(_ p: Double) -> Bool { Double(unit()) < p }
    mutating func int(_ low: Int, _ high: Int) -> Int { low + Int(next() % UInt64(high - low + 1)) }
}

/// The course's three species.
enum CourseSpecies: Int, CaseIterable {
    case perch, stripedBass, trout
    var name: String { ["perch", "striped bass", "trout"][rawValue] }
}

/// Everything that makes one individual fish look the way it does: body
/// shape, colours, markings and fins, in the fish's own coordinates (the
/// body runs from the tail's base at x = -1 to the snout at x = 1; y points
/// to the belly; `s` = (x + 1) / 2 runs from tail to snout).
struct FishLook {
    enum Dorsal { case touching, separate, singleWithAdipose }

    let species: CourseSpecies
    // Shape.
    var depth = 0.25          // largest half-depth, in half-lengths
    var peduncle = 0.3        // depth at the tail's base, as a share of the largest
    var deepestAt = 0.55      // where the body is deepest (s)
    var hump = 0.0            // a raised back behind the head (perch)
    var snoutPoint = 0.6      // exponent of the head's profile: 0.5 round, 1 pointed
    var tailLength = 0.38
    var tailFork = 0.2        // 0 square, 0.6 deeply forked
    var dorsal = Dorsal.separate
    var eyeSize = 0.05
    var mouthLength = 0.14
    // Colour (pigment, before light).
    var back = RGB(0.3, 0.3, 0.3), flank = RGB(0.7, 0.7, 0.7), belly = RGB(0.95, 0.95, 0.92)
    var bellyLine = 0.35      // where flank turns to belly (v from -1 back to 1 belly)
    var backLine = -0.45
    var fins = RGB(0.5, 0.5, 0.5), lowerFins = RGB(0.5, 0.5, 0.5), tail = RGB(0.5, 0.5, 0.5)
    var finOpacity = 0.85
    var gloss = 0.35
    var scaleContrast = 0.08
    var scaleRows = 40.0
    // Markings.
    var markingColour = RGB(0.1, 0.1, 0.1)
    var markingStrength = 1.0
    /// Perch: vertical bars (centre s, half-width, how far down towards the belly).
    var bars: [(s: Double, width: Double, reach: Double)] = []
    /// Striped bass: horizontal lines (v, half-width), broken where noise is low.
    var stripes: [(v: Double, width: Double)] = []
    var stripeBreaks = 0.0
    /// Trout: spots (s, v, radius in half-lengths, colour, halo).
    var spots: [(s: Double, v: Double, r: Double, colour: RGB, halo: Double)] = []
    /// Rainbow trout: a pink band along the side.
    var band: RGB? = nil
    var bandStrength = 0.0
    var finSpots = false
    var noiseSeed: UInt64 = 0

    /// An individual of `species`. `difficulty` in [0, 1] widens the variation
    /// towards look-alikes: faded bars, silver trout, pale stripes.
    static func individual(_ species: CourseSpecies, difficulty d: Double, random r: inout EngineRandom) -> FishLook {
        var f = FishLook(species: species)
        f.noiseSeed = r.next()
        let age = r.double(0, 1)   // young fish: bigger eyes, slimmer, brighter markings
        switch species {
        case .perch:
            f.depth = r.double(0.29, 0.38) * (0.92 + 0.12 * age)
            f.peduncle = r.double(0.24, 0.32)
            f.deepestAt = r.double(0.5, 0.6)
            f.hump = r.double(0.05, 0.22) * age
            f.snoutPoint = r.double(0.55, 0.7)
            f.tailLength = r.double(0.33, 0.42)
            f.tailFork = r.double(0.15, 0.3)
            f.dorsal = .touching
            f.eyeSize = r.double(0.05, 0.066) * (1.1 - 0.2 * age)
            f.mouthLength = r.double(0.12, 0.17)
            f.back = RGB(0.24, 0.28, 0.11).jittered(0.15, &r)
            f.flank = RGB(0.70, 0.66, 0.30).jittered(0.14, &r)
            f.belly = RGB(0.92, 0.90, 0.76).jittered(0.05, &r)
            f.bellyLine = r.double(0.25, 0.45)
            f.fins = RGB(0.55, 0.55, 0.42).jittered(0.1, &r)
            f.lowerFins = RGB(0.95, 0.46, 0.13).jittered(0.12, &r)
            f.tail = RGB(0.62, 0.55, 0.30).jittered(0.1, &r)
            f.markingColour = RGB(0.10, 0.12, 0.05).jittered(0.2, &r)
            f.markingStrength = r.double(0.55, 1.0)
            let n = r.int(5, 9)
            for i in 0..<n {
                let s = 0.12 + 0.66 * (Double(i) + 0.5) / Double(n) + r.double(-0.015, 0.015)
                let long = i % 2 == 0 || r.chance(0.5)
                f.bars.append((s, r.double(0.022, 0.04) * 7 / Double(n), long ? r.double(0.45, 0.8) : r.double(0.05, 0.35)))
            }
            f.scaleContrast = r.double(0.12, 0.24)
            f.scaleRows = r.double(24, 31)
            f.gloss = r.double(0.2, 0.4)
        case .stripedBass:
            f.depth = r.double(0.24, 0.31)
            f.peduncle = r.double(0.3, 0.38)
            f.deepestAt = r.double(0.5, 0.62)
            f.snoutPoint = r.double(0.65, 0.85)
            f.tailLength = r.double(0.38, 0.48)
            f.tailFork = r.double(0.35, 0.55)
            f.dorsal = .separate
            f.eyeSize = r.double(0.038, 0.05) * (1.15 - 0.25 * age)
            f.mouthLength = r.double(0.18, 0.24)
            f.back = RGB(0.25, 0.30, 0.32).jittered(0.18, &r)
            f.flank = RGB(0.80, 0.81, 0.80).jittered(0.08, &r)
            f.belly = RGB(0.96, 0.96, 0.94).jittered(0.03, &r)
            f.bellyLine = r.double(0.3, 0.5)
            f.backLine = r.double(-0.6, -0.4)
            f.fins = RGB(0.50, 0.53, 0.55).jittered(0.1, &r)
            f.lowerFins = RGB(0.82, 0.82, 0.80).jittered(0.08, &r)
            f.tail = RGB(0.45, 0.48, 0.50).jittered(0.1, &r)
            f.finOpacity = 0.7
            f.markingColour = RGB(0.16, 0.18, 0.20).jittered(0.2, &r)
            f.markingStrength = r.double(0.6, 1.0)
            let n = r.int(6, 8)
            for i in 0..<n {
                f.stripes.append((-0.82 + 1.28 * Double(i) / Double(n - 1) + r.double(-0.03, 0.03), r.double(0.035, 0.06)))
            }
            f.stripeBreaks = r.double(0, 0.35 + 0.3 * d)
            f.scaleContrast = r.double(0.1, 0.2)
            f.scaleRows = r.double(28, 36)
            f.gloss = r.double(0.4, 0.65)
        case .trout:
            f.depth = r.double(0.22, 0.29)
            f.peduncle = r.double(0.36, 0.45)
            f.deepestAt = r.double(0.48, 0.6)
            f.snoutPoint = r.double(0.6, 0.8)
            f.tailLength = r.double(0.32, 0.4)
            f.tailFork = r.double(0.0, 0.1)
            f.dorsal = .singleWithAdipose
            f.eyeSize = r.double(0.042, 0.056) * (1.1 - 0.2 * age)
            f.mouthLength = r.double(0.14, 0.2)
            f.scaleContrast = r.double(0.06, 0.12)
            f.scaleRows = r.double(49, 70)
            let kind = Double(r.unit())
            if kind < 0.5 {                       // brown trout
                f.back = RGB(0.28, 0.24, 0.12).jittered(0.18, &r)
                f.flank = RGB(0.66, 0.54, 0.28).jittered(0.15, &r)
                f.belly = RGB(0.90, 0.82, 0.55).jittered(0.08, &r)
                f.fins = RGB(0.45, 0.38, 0.22).jittered(0.1, &r)
                f.lowerFins = RGB(0.75, 0.60, 0.35).jittered(0.1, &r)
                f.tail = RGB(0.42, 0.36, 0.2).jittered(0.1, &r)
                f.markingColour = RGB(0.08, 0.06, 0.04)
                let count = r.int(25, 70)
                for _ in 0..<count {
                    let s = r.double(0.08, 0.92), v = r.double(-0.9, 0.45)
                    f.spots.append((s, v, r.double(0.012, 0.026), RGB(0.08, 0.06, 0.04).jittered(0.2, &r), r.double(0, 0.6)))
                }
                for _ in 0..<r.int(6, 18) {
                    let s = r.double(0.1, 0.8), v = r.double(-0.35, 0.25)
                    f.spots.append((s, v, r.double(0.012, 0.022), RGB(0.78, 0.16, 0.08).jittered(0.15, &r), r.double(0.6, 1)))
                }
            } else {                               // rainbow trout
                f.back = RGB(0.26, 0.32, 0.22).jittered(0.18, &r)
                f.flank = RGB(0.70, 0.72, 0.62).jittered(0.12, &r)
                f.belly = RGB(0.94, 0.93, 0.89).jittered(0.04, &r)
                f.fins = RGB(0.48, 0.50, 0.40).jittered(0.1, &r)
                f.lowerFins = RGB(0.78, 0.62, 0.58).jittered(0.1, &r)
                f.tail = RGB(0.45, 0.48, 0.38).jittered(0.1, &r)
                f.band = RGB(0.86, 0.42, 0.48).jittered(0.12, &r)
                f.bandStrength = r.double(0.45, 0.9)
                f.finSpots = true
                f.markingColour = RGB(0.07, 0.07, 0.06)
                for _ in 0..<r.int(40, 110) {
                    let s = r.double(0.05, 0.9), v = r.double(-0.95, 0.2)
                    f.spots.append((s, v, r.double(0.007, 0.015), RGB(0.07, 0.07, 0.06).jittered(0.2, &r), 0))
                }
            }
            f.markingStrength = r.double(0.7, 1.0)
            if r.chance(0.5 * d) {                  // fewer spots (a sea-run or lake trout)
                f.spots = Array(f.spots.prefix(r.int(5, 16)))
            }
            f.gloss = r.double(0.35, 0.6)
        }
        if r.chance(lookAlikeChance(d)) { f.resemble(CourseSpecies.allCases.filter { $0 != species }[r.int(0, 1)], &r) }
        return f
    }

    /// How often an individual looks like another species: faded markings
    /// and the other's colours, but its own shape, fins and a trace of its
    /// own markings (a person looking closely can still tell).
    static func lookAlikeChance(_ difficulty: Double) -> Double { min(1, 1.7 * difficulty) }

    /// Takes on `other`'s colours and fades this fish's own markings.
    mutating func resemble(_ other: CourseSpecies, _ r: inout EngineRandom) {
        let t = r.double(0.75, 1.0)
        let palette: (back: RGB, flank: RGB, belly: RGB, fins: RGB, lower: RGB)
        switch other {
        case .perch: palette = (RGB(0.26, 0.29, 0.12), RGB(0.70, 0.64, 0.32), RGB(0.9, 0.88, 0.75), RGB(0.55, 0.55, 0.42), RGB(0.9, 0.5, 0.2))
        case .stripedBass: palette = (RGB(0.27, 0.31, 0.33), RGB(0.79, 0.80, 0.79), RGB(0.95, 0.95, 0.93), RGB(0.5, 0.53, 0.55), RGB(0.8, 0.8, 0.78))
        case .trout: palette = (RGB(0.28, 0.26, 0.15), RGB(0.66, 0.56, 0.32), RGB(0.9, 0.84, 0.6), RGB(0.46, 0.42, 0.28), RGB(0.75, 0.62, 0.4))
        }
        back = back.mixed(with: palette.back, t)
        flank = flank.mixed(with: palette.flank, t)
        belly = belly.mixed(with: palette.belly, t)
        fins = fins.mixed(with: palette.fins, t)
        lowerFins = lowerFins.mixed(with: palette.lower, t)
        tail = tail.mixed(with: palette.fins, t)
        markingStrength *= r.double(0.06, 0.22)
        bandStrength *= 0.25
        let typicalDepth = [CourseSpecies.perch: 0.33, .stripedBass: 0.27, .trout: 0.25][other] ?? depth
        depth += (typicalDepth - depth) * t * 0.6
    }
}
