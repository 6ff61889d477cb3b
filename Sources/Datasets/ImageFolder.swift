import Dispatch
import Foundation
import TrainingEngine

/// A folder of photos with one sub-folder per class, as the course asks
/// learners to prepare:
///
///     my-fish-photos/
///         cod/   IMG_0001.jpg …
///         eel/   …
///
/// Hidden files and files that are not JPEG or PNG are ignored; files that
/// cannot be read are listed and skipped, never fatal.
public enum ImageFolder {
    public struct Skipped: Equatable, Sendable {
        public let path: String
        public let reason: String
    }

    public struct Loaded: Sendable {
        public let dataset: LabelledDataset
        /// The files each sample came from, in sample order (relative to the folder).
        public let files: [String]
        public let skipped: [Skipped]
        /// Class folders left out because no image in them could be read.
        public let emptyClasses: [String]
    }

    static let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "jpe"]

    /// The class folders and their image files, sorted, without decoding anything.
    public static func scan(_ root: URL) throws -> [(name: String, files: [URL])] {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: root.path, isDirectory: &isDirectory) else {
            throw ImageError("there is no folder at \(root.path); check the name, or use the embedded fish")
        }
        guard isDirectory.boolValue else { throw ImageError("\(root.path) is a file, not a folder of class folders") }
        let entries = (try? fm.contentsOfDirectory(at: root, includingPropertiesForKeys: [.isDirectoryKey],
                                                   options: [.skipsHiddenFiles])) ?? []
        let classFolders = entries.filter { (try? $0.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        guard !classFolders.isEmpty else {
            let loose = entries.filter { imageExtensions.contains($0.pathExtension.lowercased()) }.count
            throw ImageError("\(root.path) has no class folders" + (loose > 0 ? " (it holds \(loose) image\(loose == 1 ? "" : "s") directly: "
                + "put each class's images in a sub-folder named after the class)" : ""))
        }
        return classFolders.map { folder in
            let files = ((try? fm.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])) ?? [])
                .filter { imageExtensions.contains($0.pathExtension.lowercased()) }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
            return (folder.lastPathComponent, files)
        }
    }

    /// Decodes every image to `imageSize`×`imageSize` RGB scaled to [-1, 1]
    /// (NHWC), on all cores, calling `progress(done, total)` between chunks of
    /// files (on the calling thread). `maxPerClass` counts readable images: a
    /// file that fails is replaced by the class's next one.
    public static func load(_ root: URL, imageSize: Int, fit: ImageFit = .centreCrop, maxPerClass: Int? = nil,
                            progress: (Int, Int) -> Void = { _, _ in }) throws -> Loaded {
        guard (8...1024).contains(imageSize) else { throw InvalidArgument("imageSize must be between 8 and 1024, got \(imageSize)") }
        if let cap = maxPerClass, cap < 1 { throw InvalidArgument("maxPerClass must be at least 1, got \(cap)") }
        let classes = try scan(root)
        let total = classes.reduce(0) { $0 + min($1.files.count, maxPerClass ?? Int.max) }
        guard total > 0 else {
            throw ImageError("the class folders of \(root.path) (\(classes.map(\.name).joined(separator: ", "))) hold no JPEG or PNG images")
        }
        let pixels = imageSize * imageSize * 3
        var decoded: [(label: Int, file: URL, values: [Float])] = []
        var skipped: [Skipped] = []
        var next = [Int](repeating: 0, count: classes.count)      // the next file of each class to try
        var kept = [Int](repeating: 0, count: classes.count)
        progress(0, total)
        while true {
            // The files still wanted, up to a chunk, class by class.
            var jobs: [(label: Int, file: URL)] = []
            for c in classes.indices {
                let wanted = (maxPerClass ?? Int.max) - kept[c] - jobs.filter { $0.label == c }.count
                let take = min(max(wanted, 0), classes[c].files.count - next[c], 48 - jobs.count)
                if take > 0 {
                    jobs += classes[c].files[next[c]..<(next[c] + take)].map { (c, $0) }
                    next[c] += take
                }
                if jobs.count >= 48 { break }
            }
            if jobs.isEmpty { break }
            // Each picture is kept as Floats until the dataset's tensor is made.
            try PictureMemory.charge(jobs.count * pixels * 4, "reading \(jobs.count) more pictures at \(imageSize)×\(imageSize)")
            var results = [Result<[Float], Error>](repeating: .success([]), count: jobs.count)
            results.withUnsafeMutableBufferPointer { out in
                let slots = out.baseAddress!
                DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
                    slots[i] = Result {
                        let image = try ImageDecoder.decode(file: jobs[i].file, minimumSide: imageSize).square(imageSize, fit: fit)
                        return image.pixels.map { Float($0) / 127.5 - 1 }
                    }
                }
            }
            for (job, result) in zip(jobs, results) {
                switch result {
                case .success(let values): decoded.append((job.label, job.file, values)); kept[job.label] += 1
                case .failure(let error): skipped.append(Skipped(path: relative(job.file, to: root), reason: "\(error)"))
                }
            }
            progress(min(decoded.count + skipped.count, total), total)
        }
        guard !decoded.isEmpty else {
            throw ImageError("none of the images in \(root.path) could be read (first: \(skipped.first?.path ?? "?"): "
                             + "\(skipped.first?.reason ?? "?"))")
        }
        // Classes without a single readable image are left out (and reported).
        let present = classes.indices.filter { kept[$0] > 0 }
        let newLabel = Dictionary(uniqueKeysWithValues: present.enumerated().map { ($1, $0) })
        decoded = decoded.map { (newLabel[$0.label] ?? 0, $0.file, $0.values) }
        decoded.sort { ($0.label, $0.file.lastPathComponent) < ($1.label, $1.file.lastPathComponent) }
        var inputs = try Tensor(uninitialized: [decoded.count, imageSize, imageSize, 3])
        inputs.withUnsafeMutableBufferPointer { buffer in
            for (row, d) in decoded.enumerated() {
                d.values.withUnsafeBufferPointer { (buffer.baseAddress! + row * pixels).update(from: $0.baseAddress!, count: pixels) }
            }
        }
        let dataset = try LabelledDataset(inputs: inputs, labels: decoded.map(\.label), classNames: present.map { classes[$0].name })
        return Loaded(dataset: dataset, files: decoded.map { relative($0.file, to: root) }, skipped: skipped,
                      emptyClasses: classes.indices.filter { kept[$0] == 0 }.map { classes[$0].name })
    }

    static func relative(_ url: URL, to root: URL) -> String {
        let full = url.standardizedFileURL.path, base = root.standardizedFileURL.path
        return full.hasPrefix(base + "/") ? String(full.dropFirst(base.count + 1)) : full
    }
}

extension LabelledDataset {
    /// Sample `i` as 8-bit RGB (inputs in [-1, 1], NHWC with three channels).
    public func image(_ i: Int) throws -> RGBImage {
        let shape = sampleShape
        guard shape.count == 3, shape[2] == 3, i >= 0, i < count else {
            throw InvalidArgument("sample \(i) is not an RGB image (samples have shape \(shape))")
        }
        let n = shape[0] * shape[1] * 3
        let values = try inputs.slice(i..<(i + 1)).scalars
        return try RGBImage(width: shape[1], height: shape[0],
                            pixels: values.prefix(n).map { UInt8(max(0, min(255, (($0 + 1) * 127.5).rounded()))) })
    }
}
