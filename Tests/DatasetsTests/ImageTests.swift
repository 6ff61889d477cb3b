import CCairo
import CTurboJPEG
import Foundation
import Testing
@testable import Datasets

/// Test pictures made here: JPEGs through libjpeg-turbo's encoder, PNGs through Cairo.
enum Make {
    /// A picture whose four quadrants are red, green, blue and white.
    static func quadrants(_ w: Int, _ h: Int) -> [UInt8] {
        var p = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h {
            for x in 0..<w {
                let c: (UInt8, UInt8, UInt8) = y < h / 2 ? (x < w / 2 ? (220, 20, 20) : (20, 200, 20)) : (x < w / 2 ? (20, 20, 220) : (250, 250, 250))
                p[(y * w + x) * 3] = c.0; p[(y * w + x) * 3 + 1] = c.1; p[(y * w + x) * 3 + 2] = c.2
            }
        }
        return p
    }

    static func jpeg(_ pixels: [UInt8], _ w: Int, _ h: Int, format: TJPF = TJPF_RGB, subsampling: TJSAMP = TJSAMP_444) -> [UInt8] {
        let handle = tjInitCompress()
        defer { tjDestroy(handle) }
        var buffer: UnsafeMutablePointer<UInt8>?
        var size: UInt = 0
        let channels = format == TJPF_CMYK ? 4 : (format == TJPF_GRAY ? 1 : 3)
        _ = pixels.withUnsafeBufferPointer {
            tjCompress2(handle, $0.baseAddress, Int32(w), Int32(w * channels), Int32(h), Int32(format.rawValue), &buffer, &size,
                        Int32(subsampling.rawValue), 95, 0)
        }
        defer { tjFree(buffer) }
        return Array(UnsafeBufferPointer(start: buffer, count: Int(size)))
    }

    /// Inserts an EXIF block with an orientation tag after the JPEG's SOI marker.
    static func withOrientation(_ jpeg: [UInt8], _ orientation: UInt8) -> [UInt8] {
        let tiff: [UInt8] = [0x4D, 0x4D, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, 0, 0, 0, 0, 0, 0]
        let payload: [UInt8] = [0x45, 0x78, 0x69, 0x66, 0, 0] + tiff
        let length = payload.count + 2
        return [0xFF, 0xD8, 0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload + jpeg.dropFirst(2)
    }

    /// A PNG with an alpha channel: opaque red on the left half, transparent on the right.
    static func pngWithAlpha(_ w: Int, _ h: Int) -> [UInt8] {
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(w), Int32(h))
        let cr = cairo_create(surface)
        cairo_set_source_rgba(cr, 1, 0, 0, 1)
        cairo_rectangle(cr, 0, 0, Double(w / 2), Double(h))
        cairo_fill(cr)
        cairo_destroy(cr)
        final class Sink { var bytes: [UInt8] = [] }
        let sink = Sink()
        cairo_surface_write_to_png_stream(surface, { c, d, n in
            Unmanaged<Sink>.fromOpaque(c!).takeUnretainedValue().bytes.append(contentsOf: UnsafeBufferPointer(start: d, count: Int(n)))
            return CAIRO_STATUS_SUCCESS
        }, Unmanaged.passUnretained(sink).toOpaque())
        cairo_surface_destroy(surface)
        return sink.bytes
    }
}

func close(_ a: (UInt8, UInt8, UInt8), _ b: (Int, Int, Int), within t: Int = 24, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect((abs(Int(a.0) - b.0) + abs(Int(a.1) - b.1) + abs(Int(a.2) - b.2)) <= t, "\(a) vs \(b)", sourceLocation: sourceLocation)
}

@Suite final class DecodingTests {
    @Test func largeJPEGIsDecodedScaledDown() throws {
        let jpeg = Make.jpeg(Make.quadrants(1600, 1200), 1600, 1200)
        let full = try ImageDecoder.decode(jpeg)
        #expect((full.width, full.height) == (1600, 1200))
        let scaled = try ImageDecoder.decode(jpeg, minimumSide: 224)
        // 3/16? libjpeg-turbo offers n/8 scales: 1/4 gives 400×300, the smallest with a short side ≥ 224.
        #expect((scaled.width, scaled.height) == (400, 300))
        close(scaled.pixel(100, 75), (220, 20, 20))
        close(scaled.pixel(300, 75), (20, 200, 20))
        close(scaled.pixel(100, 225), (20, 20, 220))
        close(scaled.pixel(300, 225), (250, 250, 250))
    }

    @Test func exifOrientationTurnsThePictureUpright() throws {
        let jpeg = Make.jpeg(Make.quadrants(64, 32), 64, 32)
        // Orientation 6: stored rotated; shown turned 90° clockwise.
        let image = try ImageDecoder.decode(Make.withOrientation(jpeg, 6))
        #expect((image.width, image.height) == (32, 64))
        close(image.pixel(24, 8), (220, 20, 20), within: 40)     // red: top-left of the stored picture, now top-right
        close(image.pixel(8, 8), (20, 20, 220), within: 40)      // blue: bottom-left, now top-left
        close(image.pixel(24, 56), (20, 200, 20), within: 40)
        #expect(ImageDecoder.exifOrientation(Make.withOrientation(jpeg, 3)) == 3)
        #expect(ImageDecoder.exifOrientation(jpeg) == 1)
    }

    @Test func greyscaleAndCMYK() throws {
        let grey = (0..<(32 * 32)).map { UInt8($0 % 32 * 8) }
        let g = try ImageDecoder.decode(Make.jpeg(grey, 32, 32, format: TJPF_GRAY, subsampling: TJSAMP_GRAY))
        let p = g.pixel(20, 3)
        #expect(p.0 == p.1)
        #expect(p.1 == p.2)
        #expect(abs(Int(p.0) - 160) <= 8)
        // Inverted (Adobe) CMYK for orange: C 0, M 128, Y 255, K 0 stored as 255 − value.
        let cmyk: [UInt8] = (0..<(16 * 16)).flatMap { _ -> [UInt8] in [255, 127, 0, 255] }
        let c = try ImageDecoder.decode(Make.jpeg(cmyk, 16, 16, format: TJPF_CMYK))
        close(c.pixel(8, 8), (255, 127, 0), within: 12)
    }

    @Test func pngTransparencyGoesOverWhite() throws {
        let image = try ImageDecoder.decode(Make.pngWithAlpha(20, 10))
        #expect((image.width, image.height) == (20, 10))
        close(image.pixel(2, 5), (255, 0, 0), within: 0)
        close(image.pixel(17, 5), (255, 255, 255), within: 0)
    }

    @Test func damagedFilesAreErrorsNotCrashes() {
        let jpeg = Make.jpeg(Make.quadrants(64, 64), 64, 64)
        if let error = #expect(throws: (any Error).self, performing: { try ImageDecoder.decode(Array(jpeg.prefix(40))) }) { #expect("\(error)".contains("damaged JPEG"), "\(error)") }
        if let error = #expect(throws: (any Error).self, performing: { try ImageDecoder.decode(Array("hello".utf8)) }) { #expect("\(error)" == ("not a JPEG or PNG image")) }
        #expect(throws: (any Error).self) { try ImageDecoder.decode(Array(Make.pngWithAlpha(8, 8).prefix(30))) }
        #expect(throws: (any Error).self) { try ImageDecoder.decode([]) }
        // Random bytes after a JPEG header never crash.
        var r = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var bytes = jpeg
            for _ in 0..<20 { bytes[Int.random(in: 2..<bytes.count, using: &r)] = UInt8.random(in: 0...255, using: &r) }
            _ = try? ImageDecoder.decode(bytes, minimumSide: 16)
        }
    }

    @Test func shrinkingAveragesInsteadOfAliasing() throws {
        // One-pixel black and white stripes: a naive resize picks one colour, averaging gives grey.
        let stripes = (0..<(64 * 64)).flatMap { i -> [UInt8] in let v: UInt8 = (i % 64) % 2 == 0 ? 0 : 255; return [v, v, v] }
        let small = try RGBImage(width: 64, height: 64, pixels: stripes).resized(width: 16, height: 16)
        for x in 0..<16 { #expect(abs(Int(small.pixel(x, 8).0) - 128) <= 1) }
        let square = try RGBImage(width: 64, height: 32, pixels: Make.quadrants(64, 32)).square(16)
        #expect((square.width, square.height) == (16, 16))
        close(square.pixel(4, 4), (220, 20, 20), within: 30)    // the middle square of the picture: red on the left
        close(square.pixel(12, 4), (20, 200, 20), within: 30)
        let fitted = try RGBImage(width: 64, height: 32, pixels: Make.quadrants(64, 32)).square(16, fit: .fit)
        close(fitted.pixel(8, 1), (128, 128, 128), within: 0)  // padding above the letterboxed picture
    }
}

@Suite final class ImageFolderTests {
    func makeFolder() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("shoal-fish-\(UUID().uuidString)")
        let fm = FileManager.default
        for (name, colour) in [("pike", (30, 160, 30)), ("cod", (200, 40, 40))] {
            let folder = root.appendingPathComponent(name)
            try fm.createDirectory(at: folder, withIntermediateDirectories: true)
            for i in 0..<5 {
                let pixels = (0..<(40 * 30)).flatMap { _ in [UInt8(colour.0), UInt8(colour.1), UInt8(colour.2)] }
                try Data(Make.jpeg(pixels, 40, 30)).write(to: folder.appendingPathComponent("\(name)-\(i).jpg"))
            }
        }
        try Data(Make.pngWithAlpha(30, 30)).write(to: root.appendingPathComponent("cod/cod-alpha.PNG"))
        try Data("not a picture".utf8).write(to: root.appendingPathComponent("cod/broken.jpg"))
        try Data("notes".utf8).write(to: root.appendingPathComponent("cod/notes.txt"))
        try Data("x".utf8).write(to: root.appendingPathComponent("cod/.hidden.jpg"))
        try fm.createDirectory(at: root.appendingPathComponent(".thumbnails"), withIntermediateDirectories: true)
        try fm.createDirectory(at: root.appendingPathComponent("eel"), withIntermediateDirectories: true)
        // A photo taken with the camera on its side, and a 6000×4000 one.
        try Data(Make.withOrientation(Make.jpeg(Make.quadrants(60, 40), 60, 40), 6)).write(to: root.appendingPathComponent("pike/rotated.jpg"))
        try Data(Make.jpeg(Make.quadrants(6000, 4000), 6000, 4000, subsampling: TJSAMP_420)).write(to: root.appendingPathComponent("pike/large.jpg"))
        return root
    }

    @Test func loadsSortedClassesSkipsWhatCannotBeRead() throws {
        let root = try makeFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        var reports: [(Int, Int)] = []
        let loaded = try ImageFolder.load(root, imageSize: 16, progress: { reports.append(($0, $1)) })
        #expect(loaded.dataset.classNames == ["cod", "pike"])
        #expect(loaded.emptyClasses == ["eel"])
        #expect(loaded.dataset.classCounts == [6, 7])
        #expect(loaded.dataset.sampleShape == [16, 16, 3])
        #expect(loaded.skipped.map(\.path) == (["cod/broken.jpg"]))
        #expect(loaded.skipped.first?.reason == ("not a JPEG or PNG image"))
        #expect(reports.first?.0 == 0)
        #expect(reports.last?.0 == 14)
        #expect(reports.last?.1 == 14)
        // The rotated photo is upright (red top-right), the large one scaled down without trouble.
        let rotated = try loaded.dataset.image(try #require(loaded.files.firstIndex(of: "pike/rotated.jpg")))
        close(rotated.pixel(12, 3), (220, 20, 20), within: 40)
        close(rotated.pixel(3, 3), (20, 20, 220), within: 40)
        let large = try loaded.dataset.image(try #require(loaded.files.firstIndex(of: "pike/large.jpg")))
        close(large.pixel(4, 4), (220, 20, 20), within: 40)
        close(large.pixel(12, 12), (250, 250, 250), within: 40)
        // Pixels are scaled to [-1, 1] and come back as the colour drawn.
        let pike = try #require(loaded.files.firstIndex(of: "pike/pike-0.jpg"))
        close(try loaded.dataset.image(pike).pixel(8, 8), (30, 160, 30))
        let capped = try ImageFolder.load(root, imageSize: 16, maxPerClass: 2)
        #expect(capped.dataset.classCounts == [2, 2], "a broken file is replaced by the next readable one")
        #expect(capped.files == (["cod/cod-0.jpg", "cod/cod-1.jpg", "pike/large.jpg", "pike/pike-0.jpg"]))
    }

    @Test func missingAndEmptyFoldersAreClearErrors() throws {
        if let error = #expect(throws: (any Error).self, performing: { try ImageFolder.load(URL(fileURLWithPath: "/no/such/fish"), imageSize: 16) }) {
            #expect("\(error)".contains("there is no folder at /no/such/fish"), "\(error)")
        }
        let flat = FileManager.default.temporaryDirectory.appendingPathComponent("shoal-flat-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: flat, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: flat) }
        try Data(Make.jpeg(Make.quadrants(8, 8), 8, 8)).write(to: flat.appendingPathComponent("a.jpg"))
        if let error = #expect(throws: (any Error).self, performing: { try ImageFolder.load(flat, imageSize: 16) }) {
            #expect("\(error)".contains("put each class's images in a sub-folder"), "\(error)")
        }
    }
}
