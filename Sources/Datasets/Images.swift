import CCairo
import CTurboJPEG
import KernelMemory
import TrainingEngine
import Foundation

/// Pixels charged to the kernel's memory budget before they are decoded or made.
enum PictureMemory {
    static func charge(_ bytes: Int, _ what: @autoclosure () -> String) throws {
        do { try MemoryBudget.charge(bytes) } catch {
            throw ResourceLimit("\(what()) needs \(MemoryBudget.format(bytes)) more: \(error.holding); "
                                + "use fewer or smaller pictures")
        }
    }
}

/// Why an image could not be read.
public struct ImageError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// 8-bit RGB pixels, row by row.
public struct RGBImage: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) throws {
        guard width > 0, height > 0, pixels.count == width * height * 3 else {
            throw InvalidArgument("a \(width)×\(height) RGB image needs \(width * height * 3) bytes, got \(pixels.count)")
        }
        (self.width, self.height, self.pixels) = (width, height, pixels)
    }

    public func pixel(_ x: Int, _ y: Int) -> (UInt8, UInt8, UInt8) {
        let i = (y * width + x) * 3
        return (pixels[i], pixels[i + 1], pixels[i + 2])
    }
}

/// Reads JPEG and PNG files into RGB.
public enum ImageDecoder {
    /// Decodes an image. With `minimumSide`, a JPEG is decoded at the
    /// smallest of libjpeg-turbo's scales (1/8, 1/4, 3/8, 1/2, …) whose shorter
    /// side is still at least that many pixels, so that a 6000-pixel photo
    /// wanted at 224 is decoded at 750 pixels, not 6000. EXIF orientation is
    /// applied; greyscale, CMYK and transparency become plain RGB (transparent
    /// parts over white).
    public static func decode(_ bytes: [UInt8], minimumSide: Int? = nil) throws -> RGBImage {
        if bytes.count >= 3, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF {
            let image = try decodeJPEG(bytes, minimumSide: minimumSide)
            return orient(image, exifOrientation(bytes))
        }
        if bytes.count >= 8, bytes.prefix(8).elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            return try decodePNG(bytes)
        }
        throw ImageError("not a JPEG or PNG image")
    }

    public static func decode(file url: URL, minimumSide: Int? = nil) throws -> RGBImage {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw ImageError("cannot read the file") }
        guard !data.isEmpty else { throw ImageError("the file is empty") }
        return try decode([UInt8](data), minimumSide: minimumSide)
    }

    static func decodeJPEG(_ bytes: [UInt8], minimumSide: Int?) throws -> RGBImage {
        guard let handle = tjInitDecompress() else { throw ImageError("libjpeg-turbo could not start") }
        defer { tjDestroy(handle) }
        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colourspace: Int32 = 0
        let headerOK = bytes.withUnsafeBufferPointer {
            tjDecompressHeader3(handle, $0.baseAddress, UInt(bytes.count), &width, &height, &subsampling, &colourspace) == 0
        }
        guard headerOK, width > 0, height > 0 else { throw ImageError("a damaged JPEG: " + lastError(handle)) }
        guard Int(width) * Int(height) <= 400_000_000 else { throw ImageError("a JPEG of \(width)×\(height) pixels is too large") }
        // The smallest scale that keeps the shorter side at least `minimumSide`.
        var (scaledW, scaledH) = (width, height)
        if let minimumSide, minimumSide > 0 {
            var count: Int32 = 0
            if let factors = tjGetScalingFactors(&count) {
                var best = (width, height)
                for i in 0..<Int(count) {
                    let f = factors[i]
                    let w = (width * f.num + f.denom - 1) / f.denom, h = (height * f.num + f.denom - 1) / f.denom
                    if min(w, h) >= Int32(minimumSide), w * h < best.0 * best.1 { best = (w, h) }
                }
                (scaledW, scaledH) = best
            }
        }
        let cmyk = colourspace == Int32(TJCS_CMYK.rawValue) || colourspace == Int32(TJCS_YCCK.rawValue)
        let channels = cmyk ? 4 : 3
        try PictureMemory.charge(Int(scaledW) * Int(scaledH) * (cmyk ? 7 : 3), "decoding a JPEG of \(scaledW)×\(scaledH) pixels")
        var out = [UInt8](repeating: 0, count: Int(scaledW) * Int(scaledH) * channels)
        let status = bytes.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                tjDecompress2(handle, src.baseAddress, UInt(bytes.count), dst.baseAddress, scaledW, 0, scaledH,
                              Int32(cmyk ? TJPF_CMYK.rawValue : TJPF_RGB.rawValue), Int32(TJFLAG_ACCURATEDCT))
            }
        }
        // A warning (a truncated file, say) still leaves usable pixels; an error does not.
        if status != 0 && tjGetErrorCode(handle) == Int32(TJERR_FATAL.rawValue) {
            throw ImageError("a damaged JPEG: " + lastError(handle))
        }
        if cmyk {
            // Adobe's CMYK JPEGs store inverted values: R = C·K / 255, and so on.
            var rgb = [UInt8](repeating: 0, count: Int(scaledW) * Int(scaledH) * 3)
            for p in 0..<(Int(scaledW) * Int(scaledH)) {
                let k = Int(out[4 * p + 3])
                for c in 0..<3 { rgb[3 * p + c] = UInt8(Int(out[4 * p + c]) * k / 255) }
            }
            out = rgb
        }
        return try RGBImage(width: Int(scaledW), height: Int(scaledH), pixels: out)
    }

    static func lastError(_ handle: tjhandle) -> String {
        guard let message = tjGetErrorStr2(handle) else { return "unknown error" }
        return String(cString: message)
    }

    static func decodePNG(_ bytes: [UInt8]) throws -> RGBImage {
        // The size the header declares, charged before cairo decodes it (4 bytes a pixel, then 3).
        if bytes.count >= 24 {
            func word(_ at: Int) -> Int { bytes[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
            let (w, h) = (word(16), word(20))
            guard w * h <= 400_000_000 else { throw ImageError("a PNG of \(w)×\(h) pixels is too large") }
            try PictureMemory.charge(w * h * 7, "decoding a PNG of \(w)×\(h) pixels")
        }
        final class Source { let bytes: [UInt8]; var offset = 0; init(_ b: [UInt8]) { bytes = b } }
        let source = Source(bytes)
        let surface = withExtendedLifetime(source) {
            cairo_image_surface_create_from_png_stream({ closure, data, length in
                guard let closure, let data else { return CAIRO_STATUS_READ_ERROR }
                let s = Unmanaged<Source>.fromOpaque(closure).takeUnretainedValue()
                guard s.offset + Int(length) <= s.bytes.count else { return CAIRO_STATUS_READ_ERROR }
                s.bytes.withUnsafeBufferPointer { data.update(from: $0.baseAddress! + s.offset, count: Int(length)) }
                s.offset += Int(length)
                return CAIRO_STATUS_SUCCESS
            }, Unmanaged.passUnretained(source).toOpaque())
        }
        defer { cairo_surface_destroy(surface) }
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS, let base = cairo_image_surface_get_data(surface) else {
            throw ImageError("a damaged PNG")
        }
        let (w, h) = (Int(cairo_image_surface_get_width(surface)), Int(cairo_image_surface_get_height(surface)))
        let stride = Int(cairo_image_surface_get_stride(surface))
        let hasAlpha = cairo_image_surface_get_format(surface) == CAIRO_FORMAT_ARGB32
        var out = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h {
            let row = UnsafeRawPointer(base + y * stride).assumingMemoryBound(to: UInt32.self)
            for x in 0..<w {
                let p = row[x]
                let a = hasAlpha ? Int(p >> 24) : 255
                // Premultiplied colour over white: c + (255 − a).
                for (c, shift) in [(0, 16), (1, 8), (2, 0)] {
                    out[(y * w + x) * 3 + c] = UInt8(min(255, Int((p >> UInt32(shift)) & 0xFF) + 255 - a))
                }
            }
        }
        return try RGBImage(width: w, height: h, pixels: out)
    }

    /// The EXIF orientation (1–8) of a JPEG, 1 when there is none.
    static func exifOrientation(_ b: [UInt8]) -> Int {
        var i = 2
        while i + 4 <= b.count, b[i] == 0xFF {
            let marker = b[i + 1]
            if marker == 0xDA || marker == 0xD9 { break }   // image data starts: no EXIF before it
            let length = Int(b[i + 2]) << 8 | Int(b[i + 3])
            guard length >= 2, i + 2 + length <= b.count else { break }
            if marker == 0xE1, length >= 16, b[(i + 4)..<(i + 10)].elementsEqual([0x45, 0x78, 0x69, 0x66, 0, 0]) {
                return tiffOrientation(Array(b[(i + 10)..<(i + 2 + length)])) ?? 1
            }
            i += 2 + length
        }
        return 1
    }

    static func tiffOrientation(_ t: [UInt8]) -> Int? {
        guard t.count >= 8 else { return nil }
        let little = t[0] == 0x49
        func u16(_ o: Int) -> Int? {
            guard o + 2 <= t.count else { return nil }
            return little ? Int(t[o]) | Int(t[o + 1]) << 8 : Int(t[o]) << 8 | Int(t[o + 1])
        }
        func u32(_ o: Int) -> Int? {
            guard let a = u16(o), let b = u16(o + 2) else { return nil }
            return little ? a | b << 16 : a << 16 | b
        }
        guard let ifd = u32(4), let entries = u16(ifd) else { return nil }
        for e in 0..<min(entries, 200) {
            let o = ifd + 2 + 12 * e
            if u16(o) == 0x0112, let value = u16(o + 8), (1...8).contains(value) { return value }
        }
        return nil
    }

    /// Turns pixels stored in EXIF orientation `o` upright.
    static func orient(_ image: RGBImage, _ o: Int) -> RGBImage {
        guard o >= 2, o <= 8 else { return image }
        let (w, h) = (image.width, image.height)
        let swaps = o >= 5
        let (ow, oh) = swaps ? (h, w) : (w, h)
        var out = [UInt8](repeating: 0, count: image.pixels.count)
        for y in 0..<oh {
            for x in 0..<ow {
                // Where the upright pixel (x, y) is stored.
                let (sx, sy): (Int, Int)
                switch o {
                case 2: (sx, sy) = (w - 1 - x, y)
                case 3: (sx, sy) = (w - 1 - x, h - 1 - y)
                case 4: (sx, sy) = (x, h - 1 - y)
                case 5: (sx, sy) = (y, x)
                case 6: (sx, sy) = (y, h - 1 - x)
                case 7: (sx, sy) = (w - 1 - y, h - 1 - x)
                default: (sx, sy) = (w - 1 - y, x)   // 8
                }
                let d = (y * ow + x) * 3, s = (sy * w + sx) * 3
                out[d] = image.pixels[s]; out[d + 1] = image.pixels[s + 1]; out[d + 2] = image.pixels[s + 2]
            }
        }
        return (try? RGBImage(width: ow, height: oh, pixels: out)) ?? image
    }
}

/// Writes RGB pictures as JPEG files (for exporting the drawn fish as a photo folder).
public enum ImageEncoder {
    public static func jpeg(_ image: RGBImage, quality: Int = 92) throws -> [UInt8] {
        guard let handle = tjInitCompress() else { throw ImageError("libjpeg-turbo could not start") }
        defer { tjDestroy(handle) }
        var buffer: UnsafeMutablePointer<UInt8>?
        var size: UInt = 0
        let status = image.pixels.withUnsafeBufferPointer {
            tjCompress2(handle, $0.baseAddress, Int32(image.width), Int32(image.width * 3), Int32(image.height), Int32(TJPF_RGB.rawValue),
                        &buffer, &size, Int32(TJSAMP_420.rawValue), Int32(max(1, min(100, quality))), 0)
        }
        defer { if let buffer { tjFree(buffer) } }
        guard status == 0, let buffer else { throw ImageError("could not encode a JPEG: " + ImageDecoder.lastError(handle)) }
        return Array(UnsafeBufferPointer(start: buffer, count: Int(size)))
    }
}

extension LabelledDataset {
    /// Saves every picture as `folder/<class>/<class>-<n>.jpg`: a photo folder ImageFolder can read.
    public func saveImages(to folder: URL) throws -> Int {
        let fm = FileManager.default
        var counters = [Int](repeating: 0, count: classNames.count)
        for i in 0..<count {
            let name = classNames[labels[i]]
            let directory = folder.appendingPathComponent(name)
            do {
                try fm.createDirectory(at: directory, withIntermediateDirectories: true)
                counters[labels[i]] += 1
                try Data(try ImageEncoder.jpeg(image(i))).write(
                    to: directory.appendingPathComponent("\(name.replacingOccurrences(of: " ", with: "-"))-\(counters[labels[i]]).jpg"))
            } catch let e as ImageError { throw e } catch {
                throw ImageError("cannot write into \(directory.path): \(error.localizedDescription)")
            }
        }
        return count
    }
}
