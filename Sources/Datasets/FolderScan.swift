import CTurboJPEG
import Dispatch
import Foundation
import TrainingEngine

/// The signatures of every picture in a folder and its sub-folders, for
/// finding look-alikes among a learner's photos. Each file is decoded at a
/// reduced scale (a 6000-pixel JPEG at 1/8), hashed, and its pixels dropped,
/// on all cores: memory stays at a few pictures whatever the folder holds.
/// A file that cannot be read is named with the reason and skipped.
public struct FolderScan: Sendable {
    public let root: URL
    /// The readable pictures, relative to `root`, sorted.
    public let files: [String]
    /// Each picture's width and height as stored (upright).
    public let sizes: [PixelSize]
    public let signatures: [PictureSignature]
    public let skipped: [ImageFolder.Skipped]
    /// True when `shouldStop` ended the scan early (the lists then hold what was done).
    public let stopped: Bool

    public struct PixelSize: Equatable, Sendable {
        public let width: Int
        public let height: Int
    }

    /// JPEGs are decoded at the smallest scale whose shorter side keeps this many pixels.
    public static let decodeSide = 64

    /// The JPEG and PNG files under `root` (hidden files and folders left out), sorted by path.
    public static func pictureFiles(in root: URL) throws -> [URL] {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: root.path, isDirectory: &isDirectory) else {
            throw ImageError("there is no folder at \(root.path); check the name")
        }
        guard isDirectory.boolValue else { throw ImageError("\(root.path) is a file, not a folder of pictures") }
        guard let walk = fm.enumerator(at: root, includingPropertiesForKeys: [.isDirectoryKey], options: [.skipsHiddenFiles]) else {
            throw ImageError("cannot list the folder \(root.path)")
        }
        var files: [URL] = []
        for case let url as URL in walk where ImageFolder.imageExtensions.contains(url.pathExtension.lowercased()) {
            if (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) != true { files.append(url) }
        }
        return files.sorted { ImageFolder.relative($0, to: root) < ImageFolder.relative($1, to: root) }
    }

    /// The signature of every picture under `root`, calling `progress(done, total)`
    /// between chunks of files (on the calling thread) and stopping early when
    /// `shouldStop` says so.
    public static func scan(_ root: URL, hasher: PerceptualHasher = .standard, progress: (Int, Int) -> Void = { _, _ in },
                            shouldStop: () -> Bool = { false }) throws -> FolderScan {
        let urls = try pictureFiles(in: root)
        guard !urls.isEmpty else { throw ImageError("\(root.path) holds no JPEG or PNG pictures") }
        typealias Done = (size: PixelSize, signature: PictureSignature)
        var results = [Result<Done, Error>](repeating: .failure(ImageError("not read")), count: urls.count)
        var done = 0
        var stopped = false
        progress(0, urls.count)
        let chunk = 32
        while done < urls.count {
            if shouldStop() { stopped = true; break }
            let range = done..<min(done + chunk, urls.count)
            results.withUnsafeMutableBufferPointer { out in
                let slots = out.baseAddress!
                DispatchQueue.concurrentPerform(iterations: range.count) { k in
                    let i = range.lowerBound + k
                    slots[i] = Result { try signature(file: urls[i], hasher: hasher) }
                }
            }
            done = range.upperBound
            progress(done, urls.count)
        }
        var files: [String] = [], sizes: [PixelSize] = [], signatures: [PictureSignature] = [], skipped: [ImageFolder.Skipped] = []
        for i in 0..<done {
            let path = ImageFolder.relative(urls[i], to: root)
            switch results[i] {
            case .success(let d): files.append(path); sizes.append(d.size); signatures.append(d.signature)
            case .failure(let error): skipped.append(ImageFolder.Skipped(path: path, reason: "\(error)"))
            }
        }
        return FolderScan(root: root, files: files, sizes: sizes, signatures: signatures, skipped: skipped, stopped: stopped)
    }

    static func signature(file url: URL, hasher: PerceptualHasher) throws -> (size: PixelSize, signature: PictureSignature) {
        let bytes = try readBytes(url)
        let image = try ImageDecoder.decode(bytes, minimumSide: max(decodeSide, hasher.side))
        let size = ImageDecoder.storedSize(bytes) ?? PixelSize(width: image.width, height: image.height)
        return (size, hasher.signature(image))
    }

    static func readBytes(_ url: URL) throws -> [UInt8] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            let exists = FileManager.default.fileExists(atPath: url.path)
            throw ImageError(exists ? "cannot read the file (no permission?)" : "the file is gone")
        }
        guard !data.isEmpty else { throw ImageError("the file is empty") }
        return [UInt8](data)
    }

    /// A picture file decoded again and shrunk so that its longer side is at most `side` (for a grid).
    public static func thumbnail(of url: URL, side: Int) throws -> RGBImage {
        try ImageDecoder.decode(try readBytes(url), minimumSide: side).shrunk(toFit: side)
    }
}

extension RGBImage {
    /// A copy whose longer side is at most `side`, proportions kept (self when already small enough).
    public func shrunk(toFit side: Int) throws -> RGBImage {
        let scale = Double(side) / Double(max(width, height))
        guard scale < 1 else { return self }
        return try resized(width: max(1, Int((Double(width) * scale).rounded())), height: max(1, Int((Double(height) * scale).rounded())))
    }
}

extension ImageDecoder {
    /// A picture's width and height as it will be shown (EXIF orientation
    /// applied), read from its header without decoding; nil when unknown.
    static func storedSize(_ bytes: [UInt8]) -> FolderScan.PixelSize? {
        if bytes.count >= 24, bytes[0] == 0x89, bytes[1] == 0x50 {
            func u32(_ o: Int) -> Int { Int(bytes[o]) << 24 | Int(bytes[o + 1]) << 16 | Int(bytes[o + 2]) << 8 | Int(bytes[o + 3]) }
            return FolderScan.PixelSize(width: u32(16), height: u32(20))
        }
        guard bytes.count >= 3, bytes[0] == 0xFF, bytes[1] == 0xD8, let handle = tjInitDecompress() else { return nil }
        defer { tjDestroy(handle) }
        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colourspace: Int32 = 0
        let ok = bytes.withUnsafeBufferPointer {
            tjDecompressHeader3(handle, $0.baseAddress, UInt(bytes.count), &width, &height, &subsampling, &colourspace) == 0
        }
        guard ok else { return nil }
        let swaps = exifOrientation(bytes) >= 5
        return FolderScan.PixelSize(width: Int(swaps ? height : width), height: Int(swaps ? width : height))
    }
}
