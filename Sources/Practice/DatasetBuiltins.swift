import CellIO
import CellLanguage
import Datasets
import Foundation
import Rendering
import TrainingEngine

/// Sample `i` of an image dataset as a captioned picture for a grid.
func gridImage(_ data: LabelledDataset, _ i: Int, caption: String, frame: GridImage.Frame = .none) throws -> GridImage {
    let image = try data.image(i)
    return GridImage(width: image.width, height: image.height, rgb: image.pixels, caption: caption, frame: frame)
}

extension DatasetObject {
    /// Up to `count` samples as a picture grid captioned with their classes,
    /// or, for points in the plane, a scatter chart with a colour per class.
    func picture(count: Int, columns: Int) throws -> Figure {
        let data = self.data
        if data.sampleShape == [2] {
            let points = data.classNames.indices.map { c -> PointSeries in
                let rows = data.labels.indices.filter { data.labels[$0] == c }
                return PointSeries(name: data.classNames[c], x: rows.map { Double(data.inputs[flat: 2 * $0]) },
                                   y: rows.map { Double(data.inputs[flat: 2 * $0 + 1]) },
                                   marker: [PointMarker.circle, .triangle, .square, .diamond][c % 4])
            }
            return .scatter(ScatterChart(title: "\(NumberText.count(data.count)) points", xLabel: "x", yLabel: "y", points: points))
        }
        guard data.sampleShape.count == 3, data.sampleShape[2] == 3 else {
            throw CellError.value("show() draws pictures or points in the plane; these samples have shape \(data.sampleShape)")
        }
        let images = try data.roundRobin(count).map { i in try gridImage(data, i, caption: data.classNames[data.labels[i]]) }
        return .grid(ImageGrid(title: "", images: images, columns: max(1, columns), cellSize: 96))
    }
}

extension PracticeBuiltins {
    static func registerDatasets(in r: BuiltinRegistry) {
        struct Folder: Decodable { var path: String, imageSize: Int, maxPerClass: Int? }
        r.addFunction("ImageFolder(_ path: String, imageSize: Int = 224, maxPerClass: Int? = nil) -> Dataset",
                      doc: "Photos from a folder with one sub-folder per class, cut to imageSize × imageSize. Files that cannot be read are listed and skipped.",
                      example: "let fish = ImageFolder(\"my-fish-photos\", imageSize: 224)", options: Folder.self) { o, rt in
            let (path, size, cap) = (o.path, o.imageSize, o.maxPerClass)
            let url = try PracticeBuiltins.allowedPath(path, rt)
            let id = "shoal-reading-\(UUID().uuidString.lowercased())"
            let live = rt.output.showsLiveDisplays
            var throttle = Throttle(interval: 0.25)
            var shown = false
            let started = TrainingDisplay.now()
            let loaded = try ImageFolder.load(url, imageSize: size, maxPerClass: cap) { done, total in
                guard live, done == total || throttle.ready(now: TrainingDisplay.now()) else { return }
                rt.output.display(.text("Reading images: \(NumberText.count(done)) of \(NumberText.count(total))"), id: id, update: shown)
                shown = true
            }
            let summary = "Read \(NumberText.count(loaded.dataset.count)) images in \(loaded.dataset.classNames.count) classes "
                + "(\(NumberText.duration(TrainingDisplay.now() - started)))"
            if live { rt.output.display(.text(summary), id: id, update: shown) }
            if !loaded.skipped.isEmpty {
                let list = loaded.skipped.prefix(20).map { "  \($0.path): \($0.reason)" }.joined(separator: "\n")
                rt.output.write("\(loaded.skipped.count) file(s) could not be read and were skipped:\n\(list)"
                                + (loaded.skipped.count > 20 ? "\n  …" : "") + "\n", to: .stderr)
            }
            for name in loaded.emptyClasses {
                rt.output.write("the folder '\(name)' holds no readable images; it is left out\n", to: .stderr)
            }
            return .object(DatasetObject(loaded.dataset))
        }
        struct Show: Decodable { var count: Int, columns: Int }
        r.addMethod(on: "Dataset", "show(_ count: Int = 25, columns: Int = 5) -> Chart",
                    doc: "A grid of samples captioned with their classes (a scatter chart for points in the plane).",
                    example: "fish.show(25)", receiver: DatasetObject.self, options: Show.self) { d, o, _ in
            let count = o.count
            guard count >= 1 else { throw CellError.value("show needs a count of at least 1") }
            return .object(ChartObject(try d.picture(count: min(count, 400), columns: o.columns)))
        }
    }
}

extension PracticeBuiltins {
    static func registerFish(in r: BuiltinRegistry) {
        r.addType("Fish", doc: "The fish Shoal draws itself: perch, striped bass and trout photographed as anglers do, the same pictures for the same seed on every machine.")
        struct Drawn: Decodable {
            var seed: Int, perClass: Int, imageSize: Int, difficulty: Double, shortcut: Bool, swapped: Bool, set: String
        }
        r.addMethod(on: "Fish.Type", "synthetic(seed: Int = 7, perClass: Int = 100, imageSize: Int = 224, difficulty: Double = 0.5, "
                        + "shortcut: Bool = false, swapped: Bool = false, set: String = \"course\") -> Dataset",
                    doc: "Photo-like pictures of perch, striped bass and trout: held in hands, on measuring boards, grass, decks, rocks or in water. "
                        + "difficulty 0–1 adds look-alikes (faded bars, silver trout, warm light), blur and small fish; shortcut: true puts most "
                        + "striped bass on measuring boards (swapped: true, the others); set: \"reef\" draws six reef species instead.",
                    example: "let fish = Fish.synthetic(seed: 7, perClass: 100)", options: Drawn.self) { o, _ in
            let setName = o.set
            guard let set = SyntheticFish.Set(rawValue: setName) else {
                throw CellError.value("set must be \"course\" (perch, striped bass, trout) or \"reef\" (six reef species), not \"\(setName)\"")
            }
            let options = SyntheticFish.Options(set: set, difficulty: o.difficulty, shortcut: o.shortcut, swapped: o.swapped)
            return .object(DatasetObject(try SyntheticFish.dataset(perClass: o.perClass, imageSize: o.imageSize,
                                                                   seed: UInt64(bitPattern: Int64(o.seed)), options: options)))
        }
    }
}

extension PracticeBuiltins {
    static func registerSaving(in r: BuiltinRegistry) {
        struct Folder: Decodable { var folder: String }
        r.addMethod(on: "Dataset", "saveImages(_ folder: String)",
                    doc: "Saves the pictures as JPEG files in one sub-folder per class, the layout ImageFolder reads.",
                    example: "Fish.synthetic(seed: 7).saveImages(\"drawn-fish\")", receiver: DatasetObject.self, options: Folder.self) { d, o, rt in
            let n = try d.data.saveImages(to: try PracticeBuiltins.allowedPath(o.folder, rt))
            rt.output.write("saved \(NumberText.count(n, "picture")) in \(o.folder)\n", to: .stdout)
            return .void
        }
    }
}

extension PracticeBuiltins {
    /// A file path a cell may use: anywhere normally; inside the sandbox
    /// folder (symbolic links resolved, no way out with ..) when grading.
    static func allowedPath(_ path: String, _ rt: Runtime) throws -> URL {
        let expanded = (path as NSString).expandingTildeInPath
        guard let root = rt.sandbox else { return URL(fileURLWithPath: expanded) }
        let base = root.resolvingSymlinksInPath().standardizedFileURL
        let url = (expanded.hasPrefix("/") ? URL(fileURLWithPath: expanded) : base.appendingPathComponent(expanded))
            .standardizedFileURL.resolvingSymlinksInPath()
        guard url.path == base.path || url.path.hasPrefix(base.path + "/") else {
            throw CellError(.sandboxError, "this notebook runs in a sandbox: it may only use files in its own folder, not \(path)")
        }
        return url
    }
}
