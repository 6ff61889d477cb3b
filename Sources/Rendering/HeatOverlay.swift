import Foundation

/// A heat map laid over a picture (where a model looked): a perceptually
/// even colour scale that colour-blind readers can read (matplotlib's
/// "inferno", dark purple through red and orange to pale yellow), whose
/// opacity rises with the heat so that the cold parts of the picture stay
/// untouched and the fish stays visible under the hot parts.
public enum HeatOverlay {
    static let stops: [(Double, Colour)] = [
        (0, Colour(hex: 0x000004)), (0.2, Colour(hex: 0x420A68)), (0.4, Colour(hex: 0x932667)),
        (0.6, Colour(hex: 0xDD513A)), (0.8, Colour(hex: 0xFCA50A)), (1, Colour(hex: 0xFCFFA4)),
    ]

    /// The scale's colour at `t` in [0, 1].
    public static func colour(_ t: Double) -> Colour { Palette.interpolate(stops, t) }

    /// The part of the scale the overlay uses (its darkest end would only dim the picture).
    static func overlayColour(_ t: Double) -> Colour { colour(0.3 + 0.7 * t) }

    /// The legend for grids of explained pictures: the overlay as it looks over a mid-grey picture.
    public static let legend = ColourScale(name: "where the model looked:", low: "less", high: "most",
                                           colours: (0..<24).map { i in
                                               let t = Double(i) / 23, c = overlayColour(t), a = opacity * t, grey = 0.55
                                               return Colour(grey + (c.r - grey) * a, grey + (c.g - grey) * a, grey + (c.b - grey) * a)
                                           })

    /// How opaque the overlay is where the heat is highest.
    public static let opacity = 0.6

    /// `rgb` (row by row, 3 bytes a pixel) with `heat` (one value a pixel,
    /// scaled to 0–1 by its largest) laid over it, at most `opacity` opaque.
    public static func blend(rgb: [UInt8], heat: [Float], opacity: Double = HeatOverlay.opacity) throws -> [UInt8] {
        guard rgb.count == heat.count * 3 else {
            throw RenderError("a heat map of \(heat.count) values for a picture of \(rgb.count / 3) pixels")
        }
        let top = Double(max(heat.filter(\.isFinite).max() ?? 0, 1e-12))
        // The colours of 256 heat levels, worked out once.
        let table = (0..<256).map { overlayColour(Double($0) / 255) }
        var out = rgb
        for (i, h) in heat.enumerated() {
            let t = h.isFinite ? min(max(Double(h) / top, 0), 1) : 0
            guard t > 0.02 else { continue }
            let c = table[Int((t * 255).rounded())], a = opacity * t
            for (k, v) in [c.r, c.g, c.b].enumerated() {
                out[3 * i + k] = UInt8(min(255, max(0, (Double(rgb[3 * i + k]) * (1 - a) + v * 255 * a).rounded())))
            }
        }
        return out
    }
}
