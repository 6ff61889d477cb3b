import CCairo
import CellIO
import CTurboJPEG
import Foundation

/// A rendering failure: Cairo could not draw or encode (out of memory, a
/// size that is not positive).
public struct RenderError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A picture (PNG, or JPEG for photographs) and the size to show it at.
/// It is drawn at twice that size, so it stays crisp on high-DPI screens;
/// notebooks read the display size from the output's metadata.
public struct RenderedImage: Equatable, Sendable {
    public enum Format: Equatable, Sendable {
        case png, jpeg
        public var mimeType: String { self == .png ? "image/png" : "image/jpeg" }
    }
    /// The encoded file, in `format`.
    public let bytes: [UInt8]
    public let format: Format
    /// Display size in CSS pixels (half the picture's pixel size).
    public let width: Int
    public let height: Int
    /// What the picture shows, for consoles and logs.
    public let summary: String

    /// The display: the picture (base64) under its MIME type, its display size, and a `text/plain` summary.
    public var display: Display {
        Display(data: [format.mimeType: Data(bytes).base64EncodedString(), "text/plain": summary],
                metadata: [format.mimeType: ["width": width, "height": height]])
    }

    /// An HTML `<img>` holding the picture, at its display size.
    public var htmlImage: String {
        "<img src=\"data:\(format.mimeType);base64,\(Data(bytes).base64EncodedString())\" width=\"\(width)\" height=\"\(height)\" "
            + "alt=\"\(Table.escape(summary))\"/>"
    }
}

/// An RGB colour with components in [0, 1].
public struct Colour: Equatable, Sendable {
    public var r, g, b: Double
    public init(_ r: Double, _ g: Double, _ b: Double) { (self.r, self.g, self.b) = (r, g, b) }
    public init(hex: UInt32) {
        self.init(Double((hex >> 16) & 0xFF) / 255, Double((hex >> 8) & 0xFF) / 255, Double(hex & 0xFF) / 255)
    }
    /// Relative luminance (sRGB weights), to pick black or white text on a fill.
    public var luminance: Double { 0.2126 * r + 0.7152 * g + 0.0722 * b }

    public static let black = Colour(0, 0, 0)
    public static let white = Colour(1, 1, 1)
    public static let text = Colour(hex: 0x222222)
    public static let grid = Colour(hex: 0xE4E4E4)
    public static let axis = Colour(hex: 0x555555)
    /// For wrong predictions (with a dashed frame, so that it reads without colour too).
    public static let wrong = Colour(hex: 0xCC1F1F)
    /// For right predictions.
    public static let right = Colour(hex: 0x009E73)
}

/// The Okabe–Ito palette: eight colours that colour-blind readers can tell apart.
public enum Palette {
    public static let series: [Colour] = [0x0072B2, 0xE69F00, 0x009E73, 0xCC79A7, 0x56B4E9, 0xD55E00, 0xF0E442, 0x000000]
        .map { Colour(hex: $0) }

    public static func colour(_ i: Int) -> Colour { series[((i % series.count) + series.count) % series.count] }

    /// A sequential colour map from pale to dark blue (readable in greyscale
    /// and by colour-blind readers) for heatmaps; t in [0, 1].
    public static func sequential(_ t: Double) -> Colour {
        interpolate([(0, Colour(hex: 0xF7FBFF)), (0.25, Colour(hex: 0xC6DBEF)), (0.5, Colour(hex: 0x6BAED6)),
                     (0.75, Colour(hex: 0x2171B5)), (1, Colour(hex: 0x08306B))], t)
    }

    /// The colour at `t` in [0, 1] of a scale given by its stops (increasing positions from 0 to 1).
    static func interpolate(_ stops: [(Double, Colour)], _ t: Double) -> Colour {
        let x = min(max(t.isFinite ? t : 0, 0), 1)
        for k in 1..<stops.count where x <= stops[k].0 {
            let (t0, c0) = stops[k - 1], (t1, c1) = stops[k]
            let f = (x - t0) / (t1 - t0)
            return Colour(c0.r + (c1.r - c0.r) * f, c0.g + (c1.g - c0.g) * f, c0.b + (c1.b - c0.b) * f)
        }
        return stops[stops.count - 1].1
    }
}

/// A Cairo image surface drawn at twice its display size.
final class Canvas {
    static let scale = 2.0
    let width: Double, height: Double
    let surface: OpaquePointer
    let cr: OpaquePointer

    init(width: Int, height: Int) throws {
        guard width > 0, height > 0, width <= 8000, height <= 8000 else {
            throw RenderError("a picture of \(width)×\(height) points cannot be drawn")
        }
        (self.width, self.height) = (Double(width), Double(height))
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(Double(width) * Canvas.scale),
                                                       Int32(Double(height) * Canvas.scale)),
              cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS
        else { throw RenderError("Cairo could not make a \(width)×\(height) picture") }
        self.surface = surface
        guard let cr = cairo_create(surface) else {
            cairo_surface_destroy(surface)
            throw RenderError("Cairo could not start drawing")
        }
        self.cr = cr
        cairo_scale(cr, Canvas.scale, Canvas.scale)
        fill(rect: (0, 0, Double(width), Double(height)), Colour.white)
        cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
    }

    deinit {
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
    }

    func setColour(_ c: Colour, alpha: Double = 1) { cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha) }

    func fill(rect: (Double, Double, Double, Double), _ c: Colour, alpha: Double = 1) {
        setColour(c, alpha: alpha)
        cairo_rectangle(cr, rect.0, rect.1, rect.2, rect.3)
        cairo_fill(cr)
    }

    func strokeRect(_ rect: (Double, Double, Double, Double), _ c: Colour, width: Double, dashed: Bool = false) {
        setColour(c)
        cairo_set_line_width(cr, width)
        if dashed { var dashes: [Double] = [5, 3]; cairo_set_dash(cr, &dashes, 2, 0) }
        cairo_rectangle(cr, rect.0, rect.1, rect.2, rect.3)
        cairo_stroke(cr)
        cairo_set_dash(cr, nil, 0, 0)
    }

    func line(_ points: [(Double, Double)], _ c: Colour, width: Double, dashed: Bool = false) {
        guard let first = points.first else { return }
        setColour(c)
        cairo_set_line_width(cr, width)
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        if dashed { var dashes: [Double] = [4, 3]; cairo_set_dash(cr, &dashes, 2, 0) }
        cairo_move_to(cr, first.0, first.1)
        for p in points.dropFirst() { cairo_line_to(cr, p.0, p.1) }
        cairo_stroke(cr)
        cairo_set_dash(cr, nil, 0, 0)
    }

    /// Drawing stays inside `rect` until `unclip()`.
    func clip(_ rect: (Double, Double, Double, Double)) {
        cairo_save(cr)
        cairo_rectangle(cr, rect.0, rect.1, rect.2, rect.3)
        cairo_clip(cr)
    }

    func unclip() { cairo_restore(cr) }

    enum MarkerShape: Sendable { case circle, triangle, square, diamond }

    func marker(_ shape: MarkerShape, at p: (Double, Double), size: Double, _ c: Colour, filled: Bool = true) {
        setColour(c)
        let r = size / 2
        switch shape {
        case .circle:
            cairo_new_sub_path(cr)
            cairo_arc(cr, p.0, p.1, r, 0, 2 * Double.pi)
        case .square:
            cairo_rectangle(cr, p.0 - r, p.1 - r, size, size)
        case .triangle:
            cairo_move_to(cr, p.0, p.1 - r * 1.15)
            cairo_line_to(cr, p.0 + r * 1.1, p.1 + r * 0.85)
            cairo_line_to(cr, p.0 - r * 1.1, p.1 + r * 0.85)
            cairo_close_path(cr)
        case .diamond:
            cairo_move_to(cr, p.0, p.1 - r * 1.2)
            cairo_line_to(cr, p.0 + r * 1.2, p.1)
            cairo_line_to(cr, p.0, p.1 + r * 1.2)
            cairo_line_to(cr, p.0 - r * 1.2, p.1)
            cairo_close_path(cr)
        }
        if filled {
            cairo_fill(cr)
        } else {
            cairo_set_line_width(cr, 1.5)
            cairo_stroke(cr)
        }
    }

    enum Anchor { case start, middle, end }

    func textWidth(_ s: String, size: Double, bold: Bool = false) -> Double {
        font(size, bold: bold)
        var extents = cairo_text_extents_t()
        cairo_text_extents(cr, s, &extents)
        return extents.x_advance
    }

    private func font(_ size: Double, bold: Bool) {
        cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, size)
    }

    /// Draws text with its baseline at y; `rotated` turns it a quarter to the left (y-axis labels).
    func text(_ s: String, at p: (Double, Double), size: Double = 11, colour: Colour = .text, anchor: Anchor = .start,
              bold: Bool = false, rotated: Bool = false, maxWidth: Double? = nil) {
        var shown = s
        if let maxWidth {
            while shown.count > 1 && textWidth(shown, size: size, bold: bold) > maxWidth {
                shown = String(shown.dropLast(shown.hasSuffix("…") ? 2 : 1)) + "…"
            }
        }
        let w = textWidth(shown, size: size, bold: bold)
        let shift: Double = anchor == .start ? 0 : (anchor == .middle ? -w / 2 : -w)
        setColour(colour)
        cairo_save(cr)
        cairo_translate(cr, p.0, p.1)
        if rotated { cairo_rotate(cr, -Double.pi / 2) }
        cairo_move_to(cr, shift, 0)
        cairo_show_text(cr, shown)
        cairo_restore(cr)
    }

    /// Draws RGB pixels (row-major, 3 bytes each) scaled into `rect`.
    func image(rgb: [UInt8], width: Int, height: Int, into rect: (Double, Double, Double, Double)) throws {
        guard width > 0, height > 0, rgb.count == width * height * 3 else {
            throw RenderError("an image of \(width)×\(height) needs \(width * height * 3) bytes, got \(rgb.count)")
        }
        guard let source = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height)) else {
            throw RenderError("Cairo could not hold a \(width)×\(height) image")
        }
        defer { cairo_surface_destroy(source) }
        cairo_surface_flush(source)
        let stride = Int(cairo_image_surface_get_stride(source))
        guard let base = cairo_image_surface_get_data(source) else { throw RenderError("Cairo gave no image memory") }
        for y in 0..<height {
            let row = UnsafeMutableRawPointer(base + y * stride).assumingMemoryBound(to: UInt32.self)
            for x in 0..<width {
                let i = (y * width + x) * 3
                row[x] = 0xFF00_0000 | UInt32(rgb[i]) << 16 | UInt32(rgb[i + 1]) << 8 | UInt32(rgb[i + 2])
            }
        }
        cairo_surface_mark_dirty(source)
        cairo_save(cr)
        cairo_rectangle(cr, rect.0, rect.1, rect.2, rect.3)
        cairo_clip(cr)
        cairo_translate(cr, rect.0, rect.1)
        cairo_scale(cr, rect.2 / Double(width), rect.3 / Double(height))
        cairo_set_source_surface(cr, source, 0, 0)
        // Smooth downscaling (Cairo filters with a box when shrinking).
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD)
        // Edge pixels extend outwards, so that the border does not fade into white.
        cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD)
        cairo_paint(cr)
        cairo_restore(cr)
    }

    /// Encodes the surface as PNG.
    func png(summary: String) throws -> RenderedImage {
        cairo_surface_flush(surface)
        final class Sink { var bytes: [UInt8] = [] }
        let sink = Sink()
        let status = cairo_surface_write_to_png_stream(surface, { closure, data, length in
            guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
            Unmanaged<Sink>.fromOpaque(closure).takeUnretainedValue().bytes
                .append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
            return CAIRO_STATUS_SUCCESS
        }, Unmanaged.passUnretained(sink).toOpaque())
        guard status == CAIRO_STATUS_SUCCESS else { throw RenderError("Cairo could not encode the PNG") }
        return RenderedImage(bytes: sink.bytes, format: .png, width: Int(width), height: Int(height), summary: summary)
    }

    /// Encodes the surface as JPEG (for pictures made of photographs, which
    /// PNG stores at several times the size). Full colour resolution (4:4:4)
    /// keeps coloured captions and frames sharp.
    func jpeg(summary: String, quality: Int = 85) throws -> RenderedImage {
        cairo_surface_flush(surface)
        guard let data = cairo_image_surface_get_data(surface) else { throw RenderError("Cairo gave no image memory") }
        guard let handle = tjInitCompress() else { throw RenderError("libjpeg-turbo could not start") }
        defer { tjDestroy(handle) }
        let (w, h) = (cairo_image_surface_get_width(surface), cairo_image_surface_get_height(surface))
        // Cairo's ARGB32 is a native-endian word: B, G, R, A in memory on little-endian machines.
        let layout = 1.littleEndian == 1 ? TJPF_BGRX : TJPF_XRGB
        var buffer: UnsafeMutablePointer<UInt8>?
        var size: UInt = 0
        let status = tjCompress2(handle, data, w, cairo_image_surface_get_stride(surface), h, Int32(layout.rawValue),
                                 &buffer, &size, Int32(TJSAMP_444.rawValue), Int32(quality), 0)
        defer { if let buffer { tjFree(buffer) } }
        guard status == 0, let buffer else { throw RenderError("libjpeg-turbo could not encode the picture") }
        return RenderedImage(bytes: Array(UnsafeBufferPointer(start: buffer, count: Int(size))), format: .jpeg,
                             width: Int(width), height: Int(height), summary: summary)
    }
}

/// Text widths for layouts worked out before any drawing (caption lines,
/// which decide a grid's height), from one small Cairo context kept for it.
final class Measure: @unchecked Sendable {
    static let shared = Measure()
    private let lock = NSLock()
    private let surface: OpaquePointer?
    private let cr: OpaquePointer?

    private init() {
        surface = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1)
        cr = surface.flatMap { cairo_create($0) }
        // The same scale as a canvas, so that hinting gives the same widths.
        if let cr { cairo_scale(cr, Canvas.scale, Canvas.scale) }
    }

    /// The advance of `s` in DejaVu Sans at `size` points (an estimate when Cairo could not start).
    func width(_ s: String, size: Double, bold: Bool = false) -> Double {
        lock.lock()
        defer { lock.unlock() }
        guard let cr else { return Double(s.count) * size * 0.6 }
        cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, size)
        var extents = cairo_text_extents_t()
        cairo_text_extents(cr, s, &extents)
        return extents.x_advance
    }
}
