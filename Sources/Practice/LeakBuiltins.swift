import CellIO
import CellLanguage
import Datasets
import Foundation
import Rendering
import TrainingEngine

/// The picture signatures of the datasets cells hold, so that asking about
/// the same parts again (a re-run cell, `overlaps` then `findLeaks`) does not
/// look at every picture again. An entry lives as long as its dataset.
final class SignatureCache: @unchecked Sendable {
    static let shared = SignatureCache()
    private struct Entry { weak var owner: DatasetObject?; let signatures: [PictureSignature] }
    private var entries: [ObjectIdentifier: Entry] = [:]
    private let lock = NSLock()

    /// The signatures of the pictures of a Dataset.
    func signatures(_ d: DatasetObject) throws -> [PictureSignature] {
        let key = ObjectIdentifier(d)
        if let hit = lock.withLock({ entries[key] }), hit.owner === d { return hit.signatures }
        let made = try LookAlikes.signatures(of: d.data)
        lock.withLock {
            entries = entries.filter { $0.value.owner != nil }
            entries[key] = Entry(owner: d, signatures: made)
        }
        return made
    }
}

extension PracticeBuiltins {
    /// A `threshold:` argument, checked where it is written.
    struct Threshold: Decodable {
        let value: Double

        init(from decoder: Decoder) throws {
            let t = try decoder.singleValueContainer().decode(Double.self)
            guard LookAlikes.thresholds.contains(t) else {
                throw CellError(.valueError, "threshold is how far two look-alikes may be from identical once lined up: "
                                + "\(LookAlikes.describe(LookAlikes.thresholds.lowerBound)) to \(LookAlikes.describe(LookAlikes.thresholds.upperBound)), "
                                + "\(LookAlikes.describe(LookAlikes.defaultThreshold)) by default; got \(LookAlikes.describe(t))", at: decoder.argumentRange)
            }
            value = t
        }
    }

    /// The arguments of builtins that look for look-alikes between two datasets.
    struct Between: Decodable { var other: HostArgument<DatasetObject>, threshold: Threshold }

    static func isPictures(_ data: LabelledDataset) -> Bool { data.sampleShape.count == 3 && data.sampleShape[2] == 3 }

    /// How a sample of a dataset appears in a table and a grid.
    static func picture(_ data: LabelledDataset, _ i: Int, part: String?) -> LookAlikesObject.Picture {
        let name = "\(data.classNames[data.labels[i]]) #\(data.sampleIDs[i])"
        return .init(part: part, name: name, caption: part.map { "\($0)\n\(name)" } ?? name, size: nil, image: { try data.image(i) })
    }

    /// How many samples of `b` have a look-alike in `a`: pictures by content,
    /// other samples (points) by equal values.
    static func overlapCount(_ va: DatasetObject, _ vb: DatasetObject) throws -> Int {
        let (a, b) = (va.data, vb.data)
        if isPictures(a) && isPictures(b) {
            let pairs = try LookAlikes.pairs(between: try SignatureCache.shared.signatures(va), and: try SignatureCache.shared.signatures(vb))
            return Set(pairs.map(\.second)).count
        }
        guard a.sampleShape == b.sampleShape else {
            throw CellError.value("cannot compare samples of shape \(a.sampleShape) with samples of shape \(b.sampleShape)")
        }
        let width = a.sampleShape.reduce(1, *)
        let (av, bv) = (a.inputs.scalars, b.inputs.scalars)
        let seen = Set((0..<a.count).map { Array(av[($0 * width)..<(($0 + 1) * width)]) })
        return (0..<b.count).filter { seen.contains(Array(bv[($0 * width)..<(($0 + 1) * width)])) }.count
    }

    static func registerLeaks(in r: BuiltinRegistry) {
        r.addType("LookAlikes", doc: "Pairs of pictures that look alike — copies, mirror images, turns, resized or re-encoded copies, "
                  + "small crops — shown as a table and side by side.")
        struct Overlaps: Decodable { var a: HostArgument<DatasetObject>, b: HostArgument<DatasetObject> }
        r.addFunction("overlaps(_ a: Dataset, _ b: Dataset) -> Int",
                      doc: "How many pictures of `b` have a look-alike in `a`: the same photo, also flipped, turned, resized, re-encoded "
                        + "or slightly cropped (0 for a clean split). Compares what the pictures show, not their names; points in the "
                        + "plane count when their values are equal. `findLeaks` shows the pairs.",
                      example: "check(overlaps(train, test) == 0, \"no test picture may have a copy in the training set\")", options: Overlaps.self) { o, _ in
            .int(try overlapCount(o.a.object, o.b.object))
        }
        struct Leaks: Decodable {
            var training: HostArgument<DatasetObject>, validation: HostArgument<DatasetObject>, test: HostArgument<DatasetObject>?
            var threshold: Threshold
        }
        r.addFunction("findLeaks(_ training: Dataset, _ validation: Dataset, _ test: Dataset? = nil, threshold: Double = \(LookAlikes.describe(LookAlikes.defaultThreshold))) -> LookAlikes",
                      doc: "Every pair of look-alike pictures in two different parts (training–validation, training–test, "
                        + "validation–test), with the transform that relates them: a table and the pairs side by side. "
                        + "`threshold` (0 to 10) is how far two look-alikes may be from identical once lined up.",
                      example: "let leaks = findLeaks(train, validation, test)\nleaks.count", options: Leaks.self) { o, _ in
            var parts = [("training", o.training.object.data, o.training.object), ("validation", o.validation.object.data, o.validation.object)]
            if let test = o.test { parts.append(("test", test.object.data, test.object)) }
            let t = o.threshold.value
            for (name, data, _) in parts where !isPictures(data) {
                throw CellError.value("findLeaks compares pictures; the \(name) samples have shape \(data.sampleShape) (use overlaps for points)")
            }
            let pictures = try parts.map { try SignatureCache.shared.signatures($0.2) }
            var rows: [LookAlikesObject.Row] = []
            for x in parts.indices {
                for y in parts.indices where y > x {
                    for p in try LookAlikes.pairs(between: pictures[x], and: pictures[y], threshold: t) {
                        rows.append(.init(first: picture(parts[x].1, p.first, part: parts[x].0),
                                          second: picture(parts[y].1, p.second, part: parts[y].0), pair: p))
                    }
                }
            }
            let names = parts.map(\.0)
            let scope = "across " + (names.count == 2 ? names.joined(separator: " and ") : "\(names[0]), \(names[1]) and \(names[2])")
            return .object(LookAlikesObject(scope: scope, rows: rows, compared: parts.reduce(0) { $0 + $1.1.count }, threshold: t))
        }
        struct Within: Decodable { var threshold: Threshold }
        r.addMethod(on: "Dataset", "duplicates(threshold: Double = \(LookAlikes.describe(LookAlikes.defaultThreshold))) -> LookAlikes",
                    doc: "Every pair of look-alike pictures within this dataset (copies, flips, turns, resized copies), "
                        + "with the transform that relates them: a table and the pairs side by side.",
                    example: "fish.duplicates()", receiver: DatasetObject.self, options: Within.self) { v, o, _ in
            let data = v.data
            guard isPictures(data) else { throw CellError.value("duplicates() compares pictures; these samples have shape \(data.sampleShape)") }
            let t = o.threshold.value
            let pairs = try LookAlikes.pairs(within: try SignatureCache.shared.signatures(v), threshold: t)
            let rows = pairs.map { LookAlikesObject.Row(first: picture(data, $0.first, part: nil), second: picture(data, $0.second, part: nil), pair: $0) }
            return .object(LookAlikesObject(scope: "in this dataset", rows: rows, compared: data.count, threshold: t))
        }
        struct InFolder: Decodable { var path: String, threshold: Threshold }
        r.addFunction("findDuplicates(inFolder path: String, threshold: Double = \(LookAlikes.describe(LookAlikes.defaultThreshold))) -> LookAlikes",
                      doc: "Every pair of look-alike pictures among the JPEG and PNG files of a folder and its sub-folders, "
                        + "photos of any size: each is read at a reduced scale and only its fingerprint kept. Files that cannot "
                        + "be read are named and skipped.",
                      example: "findDuplicates(inFolder: \"my-fish-photos\")", options: InFolder.self) { o, rt in
            let path = o.path
            let t = o.threshold.value
            let url = try allowedPath(path, rt)
            let id = "shoal-looking-\(UUID().uuidString.lowercased())"
            let live = rt.output.showsLiveDisplays
            var throttle = Throttle(interval: 0.25)
            var shown = false
            let scan = try FolderScan.scan(url, progress: { done, total in
                guard live, done == total || throttle.ready(now: TrainingDisplay.now()) else { return }
                rt.output.display(.text("Looking at pictures: \(NumberText.count(done)) of \(NumberText.count(total))"), id: id, update: shown)
                shown = true
            }, shouldStop: { rt.cancellation.isCancelled })
            if scan.stopped { throw CellError(.interrupted, "interrupted after looking at \(NumberText.count(scan.files.count)) pictures") }
            if !scan.skipped.isEmpty {
                let list = scan.skipped.prefix(20).map { "  \($0.path): \($0.reason)" }.joined(separator: "\n")
                rt.output.write("\(scan.skipped.count) file(s) could not be read and were skipped:\n\(list)"
                                + (scan.skipped.count > 20 ? "\n  …" : "") + "\n", to: .stderr)
            }
            let root = scan.root   // the report keeps the names, not the signatures
            let rows = try LookAlikes.pairs(within: scan.signatures, threshold: t).map { p -> LookAlikesObject.Row in
                func file(_ i: Int) -> LookAlikesObject.Picture {
                    let name = scan.files[i], size = scan.sizes[i]
                    let folder = (name as NSString).deletingLastPathComponent
                    return .init(part: nil, name: name,
                                 caption: (name as NSString).lastPathComponent + "\n" + (folder.isEmpty ? "" : folder + "/ · ")
                                    + "\(size.width)×\(size.height)",
                                 size: size, image: { try FolderScan.thumbnail(of: root.appendingPathComponent(name), side: 240) })
                }
                return .init(first: file(p.first), second: file(p.second), pair: p)
            }
            if live && shown { rt.output.display(.text("Looked at \(NumberText.count(scan.signatures.count + scan.skipped.count)) files"), id: id, update: true) }
            return .object(LookAlikesObject(scope: "in \(path)", rows: rows, compared: scan.signatures.count, threshold: t, skipped: scan.skipped))
        }
        r.addProperty(on: "LookAlikes", "count: Int", doc: "How many look-alike pairs were found.", receiver: LookAlikesObject.self) { found, _ in
            .int(found.count)
        }
        r.addMethod(on: "LookAlikes", "table() -> Table", doc: "The pairs: where each picture is, how far they are from identical once lined up, and the transform.",
                    example: "findLeaks(train, validation, test).table()", receiver: LookAlikesObject.self) { found, _ in
            .object(TableObject(found.table(limit: 1000)))
        }
        struct Show: Decodable { var count: Int, columns: Int }
        r.addMethod(on: "LookAlikes", "show(_ count: Int = 12, columns: Int = 2) -> Chart",
                    doc: "The first `count` pairs side by side, each labelled with its transform and difference.",
                    example: "fish.duplicates().show(4)", receiver: LookAlikesObject.self, options: Show.self) { found, o, _ in
            let (count, columns) = (o.count, o.columns)
            guard count >= 1, columns >= 1 else { throw CellError.value("show needs a count and columns of at least 1") }
            guard found.count > 0 else { throw CellError.value("there are no look-alike pairs to show") }
            return .object(ChartObject(found.figure(count: min(count, 100), columns: min(columns, 6))))
        }
        struct SplitApart: Decodable { var fraction: Double, seed: Int, keepLookAlikesTogether: Bool }
        r.addMethod(on: "Dataset", "split(_ fraction: Double, seed: Int = 0, keepLookAlikesTogether: Bool) -> (Dataset, Dataset)",
                    doc: "Two parts, stratified and seeded like split(_:seed:); with keepLookAlikesTogether, look-alike pictures "
                        + "(copies, flips, turns, resized copies) always land in the same part, so no part holds a look-alike of the other's.",
                    example: "let (train, rest) = fish.split(0.8, seed: 42, keepLookAlikesTogether: true)", receiver: DatasetObject.self,
                    options: SplitApart.self) { v, o, _ in
            let fraction = o.fraction
            guard fraction > 0, fraction < 1 else { throw PracticeBuiltins.fractionError(fraction) }
            let data = v.data
            let seed = UInt64(bitPattern: Int64(o.seed))
            var parts: [LabelledDataset]
            if o.keepLookAlikesTogether && isPictures(data) {
                let pairs = try LookAlikes.pairs(within: try SignatureCache.shared.signatures(v))
                parts = try data.split(fractions: [fraction, 1 - fraction], seed: seed, groups: LookAlikes.groups(count: data.count, pairs: pairs))
            } else {
                parts = try data.split(fractions: [fraction, 1 - fraction], seed: seed)
            }
            return .tuple(TupleValue(parts.map { .object(DatasetObject($0)) }))
        }
        struct Copies: Decodable { var count: Int, seed: Int }
        r.addMethod(on: "Dataset", "addingFlippedCopies(_ count: Int, seed: Int = 0) -> Dataset",
                    doc: "This dataset and `count` more pictures, each a mirror image (left to right or upside down) of a different one "
                        + "already in it, with the same label: a folder \"augmented\" by hand before it was split, the leak overlaps and findLeaks find.",
                    example: "let leaky = fish.addingFlippedCopies(40, seed: 1)", receiver: DatasetObject.self, options: Copies.self) { v, o, _ in
            .object(DatasetObject(try v.data.addingMirroredCopies(o.count, seed: UInt64(bitPattern: Int64(o.seed)))))
        }
        r.addMethod(on: "Dataset", "lookAlikes(in other: Dataset, threshold: Double = \(LookAlikes.describe(LookAlikes.defaultThreshold))) -> Dataset",
                    doc: "The pictures of this dataset that have a look-alike in `other` (a copy, flipped, turned, resized or slightly "
                        + "cropped): the test pictures a model has in effect already seen in training.",
                    example: "let copies = test.lookAlikes(in: train)", receiver: DatasetObject.self, options: Between.self) { v, o, _ in
            .object(DatasetObject(try lookAlikeSubset(v, o.other.object, threshold: o.threshold.value, keep: true)))
        }
        r.addMethod(on: "Dataset", "removingLookAlikes(in other: Dataset, threshold: Double = \(LookAlikes.describe(LookAlikes.defaultThreshold))) -> Dataset",
                    doc: "The pictures of this dataset with no look-alike in `other`: the test pictures that are new to a model trained on `other`.",
                    example: "let unseen = test.removingLookAlikes(in: train)", receiver: DatasetObject.self, options: Between.self) { v, o, _ in
            .object(DatasetObject(try lookAlikeSubset(v, o.other.object, threshold: o.threshold.value, keep: false)))
        }
    }

    /// The samples of `v` that have (keep) or have not (!keep) a look-alike in `other`.
    static func lookAlikeSubset(_ v: DatasetObject, _ other: DatasetObject, threshold: Double, keep: Bool) throws -> LabelledDataset {
        let (data, reference) = (v.data, other.data)
        guard isPictures(data) && isPictures(reference) else {
            throw CellError.value("look-alikes are found among pictures; these samples have shape \(data.sampleShape)")
        }
        let pairs = try LookAlikes.pairs(between: try SignatureCache.shared.signatures(other), and: try SignatureCache.shared.signatures(v),
                                         threshold: threshold)
        let matched = Set(pairs.map(\.second))
        return try data.subset(data.labels.indices.filter { matched.contains($0) == keep })
    }
}
