import CellIO
import CellLanguage
import Datasets
import Foundation
import Rendering
import TrainingEngine

/// The random changes training makes to each picture, each with a strength,
/// in the units a learner reads (degrees, fractions of the picture, pixels).
public final class AugmentationObject: HostObject {
    let flip: Bool
    /// Fractions of the picture's side (shift, crop), of the scale (zoom),
    /// of the colour wheel (hue), of the saturation and of the brightness
    /// range; degrees (rotation); pixels (blur).
    let shift, brightness, rotation, zoom, crop, hue, saturation, blur: Double

    init(flip: Bool, shift: Double, brightness: Double, rotation: Double, zoom: Double, crop: Double, hue: Double,
         saturation: Double, blur: Double) {
        self.flip = flip
        (self.shift, self.brightness, self.rotation, self.zoom) = (shift, brightness, rotation, zoom)
        (self.crop, self.hue, self.saturation, self.blur) = (crop, hue, saturation, blur)
    }

    public var typeName: String { "Augmentation" }

    var settings: [(String, String)] {
        var out: [(String, String)] = []
        if flip { out.append(("flip", "left–right, half the time")) }
        if shift > 0 { out.append(("shift", "up to \(NumberText.percent(shift)) of the side")) }
        if rotation > 0 { out.append(("rotation", "up to ±\(String(format: "%g", rotation))°")) }
        if zoom > 0 { out.append(("zoom", "\(String(format: "%.2g", 1 - zoom))× to \(String(format: "%.2g", 1 + zoom))×")) }
        if crop > 0 { out.append(("crop", "keeps \(NumberText.percent(1 - crop)) to 100 % of each side")) }
        if brightness > 0 { out.append(("brightness", "±\(NumberText.percent(brightness))")) }
        if hue > 0 { out.append(("hue", "±\(NumberText.percent(hue)) of the colour wheel")) }
        if saturation > 0 { out.append(("saturation", "×\(String(format: "%.2g", 1 - saturation)) to ×\(String(format: "%.2g", 1 + saturation))")) }
        if blur > 0 { out.append(("blur", "up to \(String(format: "%g", blur)) pixels")) }
        return out
    }

    public var textDescription: String {
        settings.isEmpty ? "Augmentation: none" : "Augmentation: " + settings.map { "\($0.0) \($0.1)" }.joined(separator: "; ")
    }

    public func display() -> Display? {
        Table(caption: "Augmentation", columns: [.init("change"), .init("strength")], rows: settings.map { [$0.0, $0.1] }).display
    }

    /// The engine's augmentation for pictures of `side` pixels (scaled to [-1, 1]).
    func engine(side: Int) -> Augmentation {
        Augmentation(horizontalFlip: flip, cropPadding: shift > 0 ? max(1, Int((shift * Double(side)).rounded())) : 0,
                     brightness: Float(2 * brightness), rotation: Float(rotation), zoom: Float(zoom), crop: Float(crop),
                     hue: Float(hue), saturation: Float(saturation), blur: Float(blur * Double(side) / 224))
    }
}

extension Augmentation.Draw {
    /// What was done to one picture, in a few words (changes too small to see left out).
    var caption: String {
        var parts: [String] = []
        if flippedHorizontally { parts.append("flipped") }
        if abs(angle) >= 1 { parts.append("turned \(angle > 0 ? "" : "−")\(Int(abs(angle).rounded()))°") }
        if abs(zoom - 1) >= 0.02 { parts.append("zoom \(String(format: "%.2f", zoom))×") }
        if cropCentre != nil, cropSide <= 0.98 { parts.append("crop \(Int((cropSide * 100).rounded()))%") }
        if abs(brightness) >= 0.04 { parts.append(brightness > 0 ? "lighter" : "darker") }
        if abs(hue) * 360 >= 3 { parts.append("hue \(hue > 0 ? "+" : "−")\(Int((abs(hue) * 360).rounded()))°") }
        if abs(saturation - 1) >= 0.05 { parts.append(saturation > 1 ? "more colour" : "less colour") }
        if blur >= 0.3 { parts.append("blur \(String(format: "%.1f", blur))") }
        if parts.isEmpty { return shift != (0, 0) ? "moved a little" : "unchanged" }
        return parts.joined(separator: ", ")
    }
}

/// A `train` call's `augmentation:` argument: false, true (flips, shifts and
/// brightness, as before) or an Augmentation, checked where it is written.
struct TrainingAugmentation: Decodable {
    let value: Value

    init(from decoder: Decoder) throws {
        value = try decoder.singleValueContainer().decode(Value.self)
        switch value {
        case .bool, .object(is AugmentationObject): break
        default:
            throw CellError(.typeError, "augmentation takes true, false or an Augmentation(…), not a value of type '\(value.typeName)'",
                            at: decoder.argumentRange)
        }
    }

    /// Whether the cell asked for any augmentation (true or an Augmentation).
    var isRequested: Bool {
        switch value {
        case .bool(let on): return on
        default: return true
        }
    }

    /// The engine's augmentation for `data`; none for samples that are not pictures.
    func engine(for data: LabelledDataset) -> Augmentation {
        guard data.sampleShape.count == 3 else { return Augmentation() }
        switch value {
        case .bool(true): return Augmentation(horizontalFlip: true, cropPadding: max(1, data.sampleShape[0] / 16), brightness: 0.1)
        case .object(let o as AugmentationObject): return o.engine(side: data.sampleShape[0])
        default: return Augmentation()
        }
    }
}

extension PracticeBuiltins {
    static func registerAugmentation(in r: BuiltinRegistry) {
        r.addType("Augmentation", doc: "Random changes to each training picture (flips, shifts, rotation, zoom, crop, light, colour, blur), each with a strength.")
        struct Strengths: Decodable {
            var flip: Bool
            var shift, rotation, zoom, crop, brightness, hue, saturation, blur: Double
        }
        r.addFunction("Augmentation(flip: Bool = true, shift: Double = 0.06, rotation: Double = 10, zoom: Double = 0.1, crop: Double = 0, "
                        + "brightness: Double = 0.05, hue: Double = 0.02, saturation: Double = 0.2, blur: Double = 0) -> Augmentation",
                      doc: "Random changes training makes to every picture, new each epoch; 0 leaves one out. flip: left–right half the time; "
                        + "shift: up to this fraction of the side; rotation: up to ± degrees; zoom: 1 − zoom to 1 + zoom times; crop: keeps "
                        + "a square of 1 − crop to all of each side; brightness: ± this fraction of the range; hue: ± this fraction of the colour "
                        + "wheel; saturation: × 1 − s to 1 + s; blur: up to this many pixels (at 224). Pass it to train(augmentation:).",
                      example: "let changes = Augmentation(rotation: 20, zoom: 0.15, hue: 0.05, blur: 1.5)", options: Strengths.self) { o, _ in
            let object = AugmentationObject(flip: o.flip, shift: o.shift, brightness: o.brightness, rotation: o.rotation, zoom: o.zoom,
                                            crop: o.crop, hue: o.hue, saturation: o.saturation, blur: o.blur)
            guard object.shift >= 0, object.shift <= 0.5, object.shift.isFinite else {
                throw CellError.value("shift must be between 0 and 0.5 (a fraction of the picture), not \(object.shift)")
            }
            guard object.brightness <= 0.5 else { throw CellError.value("brightness must be between 0 and 0.5, not \(object.brightness)") }
            try object.engine(side: 224).validate()
            return .object(object)
        }
        struct Show: Decodable {
            var picture: PictureArgument, count: Int, augmentation: HostArgument<AugmentationObject>?, seed: Int, columns: Int
        }
        r.addFunction("showAugmented(_ picture: Picture, count: Int = 8, augmentation: Augmentation? = nil, seed: Int = 0, columns: Int = 3) -> Chart",
                      doc: "The picture as it is, then `count` versions of it as training sees them (with Augmentation()'s changes unless "
                        + "you give your own), each captioned with what was done. The same seed gives the same versions.",
                      example: "showAugmented(train.picture(0), count: 8)", options: Show.self) { o, rt in
            let picture = try o.picture.picture(rt)
            let count = o.count
            guard (1...64).contains(count) else { throw CellError.value("count must be 1 to 64") }
            let changes = o.augmentation?.object
                ?? AugmentationObject(flip: true, shift: 0.06, brightness: 0.05, rotation: 10, zoom: 0.1, crop: 0, hue: 0.02, saturation: 0.2, blur: 0)
            let side = min(picture.image.width, picture.image.height, 256)
            var random = EngineRandom(seed: UInt64(bitPattern: Int64(o.seed)))
            let original = try picture.resized(side: side)
            let one = try picture.input(side: side)
            var batch = try Tensor.concatenate([Tensor](repeating: one, count: count))
            let draws = try changes.engine(side: side).applyRecording(to: &batch, random: &random)
            let per = side * side * 3
            let versions = try (0..<count).map { i -> GridImage in
                let pixels = try batch.slice(i..<(i + 1)).scalars.prefix(per).map { UInt8(max(0, min(255, (($0 + 1) * 127.5).rounded()))) }
                return GridImage(width: side, height: side, rgb: Array(pixels), caption: i < draws.count ? draws[i].caption : "unchanged")
            }
            let first = GridImage(width: side, height: side, rgb: original.pixels, caption: "original")
            return .object(ChartObject(.grid(ImageGrid(title: "What training sees: \(count) random versions", images: [first] + versions,
                                                       columns: max(1, o.columns), cellSize: 140))))
        }
    }
}
