import Foundation

/// Round tick values for an axis: steps of 1, 2 or 5 times a power of ten,
/// and an axis range widened to whole steps.
public struct Ticks: Equatable, Sendable {
    public let values: [Double]
    public let low: Double
    public let high: Double
    public let step: Double

    /// Ticks for data from `rawLow` to `rawHigh`: about `target` of them, the
    /// axis widened to whole steps unless `fixed` (then it keeps the given range
    /// and ticks fall inside it).
    public init(low rawLow: Double, high rawHigh: Double, target: Int = 6, integers: Bool = false, fixed: Bool = false) {
        var lo = rawLow.isFinite ? rawLow : 0, hi = rawHigh.isFinite ? rawHigh : 1
        if lo > hi { swap(&lo, &hi) }
        if hi - lo < 1e-12 { lo -= max(abs(lo) * 0.1, 0.5); hi += max(abs(hi) * 0.1, 0.5) }
        let magnitude = pow(10, floor(log10((hi - lo) / Double(max(target, 2)))))
        var best: (score: Double, step: Double, first: Double, last: Double)?
        for scale in [magnitude / 10, magnitude, magnitude * 10] {
            for m in [1.0, 2, 2.5, 5] {
                let step = m * scale
                if integers && (step < 1 || step != step.rounded()) { continue }
                let first = fixed ? ceil(lo / step - 1e-9) * step : floor(lo / step + 1e-9) * step
                let last = fixed ? floor(hi / step + 1e-9) * step : ceil(hi / step - 1e-9) * step
                let count = Int(((last - first) / step).rounded()) + 1
                guard count >= 2, count <= 12 else { continue }
                // Close to the target count, little empty axis, and 2.5 only when it helps.
                let waste = fixed ? 0 : 1 - (hi - lo) / max(last - first, 1e-12)
                let score = abs(Double(count - target)) + 4 * waste + (m == 2.5 ? 1 : 0)
                if best == nil || score < best!.score { best = (score, step, first, last) }
            }
        }
        let chosen = best ?? (0, max(hi - lo, 1), lo, hi)
        var values: [Double] = []
        var i = 0.0
        while chosen.first + i * chosen.step <= chosen.last + chosen.step * 1e-6, values.count < 50 {
            let v = chosen.first + i * chosen.step
            values.append(abs(v) < chosen.step * 1e-9 ? 0 : v)
            i += 1
        }
        (self.values, self.step) = (values, chosen.step)
        (self.low, self.high) = fixed ? (lo, hi) : (chosen.first, chosen.last)
    }

    /// A tick value written with as many decimals as the step needs.
    public func label(_ v: Double) -> String {
        // The fewest decimals that write every multiple of the step exactly (25 → 0, 2.5 → 1, 0.25 → 2).
        var decimals = 0
        while decimals < 6, abs((step * pow(10, Double(decimals))).rounded() - step * pow(10, Double(decimals))) > 1e-6 * max(1, step * pow(10, Double(decimals))) {
            decimals += 1
        }
        if abs(v) >= 10_000 && decimals == 0 { return String(format: "%.0fk", v / 1000) }
        return String(format: "%.\(decimals)f", v)
    }
}

/// A line of (x, y) points.
public struct LineSeries: Equatable, Sendable {
    public var name: String
    public var x: [Double]
    public var y: [Double]
    public var dashed: Bool
    public init(name: String, x: [Double], y: [Double], dashed: Bool = false) {
        (self.name, self.x, self.y, self.dashed) = (name, x, y, dashed)
    }
}

/// A vertical line across a chart with a label ("best epoch", "fine-tuning starts").
public struct VerticalMarker: Equatable, Sendable {
    public var x: Double
    public var label: String
    public init(x: Double, label: String) { (self.x, self.label) = (x, label) }
}

public enum PointMarker: Equatable, Sendable { case circle, triangle, square, diamond }

/// Points without lines (training and held-out data).
public struct PointSeries: Equatable, Sendable {
    public var name: String
    public var x: [Double]
    public var y: [Double]
    public var marker: PointMarker
    public var hollow: Bool
    public init(name: String, x: [Double], y: [Double], marker: PointMarker = .circle, hollow: Bool = false) {
        (self.name, self.x, self.y, self.marker, self.hollow) = (name, x, y, marker, hollow)
    }
}

/// Lines over a shared x axis (loss or accuracy per epoch).
public struct LineChart: Equatable, Sendable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [LineSeries]
    public var markers: [VerticalMarker]
    /// Fixed y range (accuracy from 0 to 1), or nil to fit the data.
    public var yRange: ClosedRange<Double>?
    /// A logarithmic x axis (learning rates): ticks at powers of ten; x values must be positive.
    public var logX: Bool
    /// Whether the series' names are shown in a legend (not needed for one line named by the axis).
    public var legend: Bool
    public init(title: String, xLabel: String, yLabel: String, series: [LineSeries], markers: [VerticalMarker] = [],
                yRange: ClosedRange<Double>? = nil, logX: Bool = false, legend: Bool = true) {
        (self.title, self.xLabel, self.yLabel, self.series, self.markers, self.yRange) = (title, xLabel, yLabel, series, markers, yRange)
        (self.logX, self.legend) = (logX, legend)
    }
}

/// A power of ten as a learner reads it: 0.001, 0.01, 1, 100; 1e-4 and 1e5 beyond.
func powerOfTenLabel(_ exponent: Double) -> String {
    let e = Int(exponent.rounded())
    switch e {
    case -3 ..< 0: return "0." + String(repeating: "0", count: -e - 1) + "1"
    case 0...3: return "1" + String(repeating: "0", count: e)
    default: return "1e\(e)"
    }
}

/// Points with fitted curves (the overfitting lesson's polynomials).
public struct ScatterChart: Equatable, Sendable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var points: [PointSeries]
    public var curves: [LineSeries]
    public var yRange: ClosedRange<Double>?
    public init(title: String, xLabel: String, yLabel: String, points: [PointSeries], curves: [LineSeries] = [],
                yRange: ClosedRange<Double>? = nil) {
        (self.title, self.xLabel, self.yLabel, self.points, self.curves, self.yRange) = (title, xLabel, yLabel, points, curves, yRange)
    }
}

/// Bars in groups: one group per category, one bar per series (class counts per split).
public struct BarChart: Equatable, Sendable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var categories: [String]
    public var series: [(name: String, values: [Double])]
    /// Bars drawn from the left, categories down the side (long names stay whole).
    public var horizontal: Bool
    /// Values are shares (0 to 1), written as percentages on an axis from 0 to 100 %.
    public var percent: Bool
    public init(title: String, xLabel: String, yLabel: String, categories: [String], series: [(name: String, values: [Double])],
                horizontal: Bool = false, percent: Bool = false) {
        (self.title, self.xLabel, self.yLabel, self.categories, self.series) = (title, xLabel, yLabel, categories, series)
        (self.horizontal, self.percent) = (horizontal, percent)
    }
    public static func == (a: BarChart, b: BarChart) -> Bool {
        a.title == b.title && a.categories == b.categories && a.series.map(\.name) == b.series.map(\.name)
            && a.series.map(\.values) == b.series.map(\.values) && a.horizontal == b.horizontal && a.percent == b.percent
    }
}

/// A matrix of values as coloured cells with the values written in them
/// (a confusion matrix: rows actual, columns predicted).
public struct Heatmap: Equatable, Sendable {
    public var title: String
    public var rowLabel: String
    public var columnLabel: String
    public var rowNames: [String]
    public var columnNames: [String]
    public var values: [[Double]]
    /// Write values as fractions with two decimals rather than counts.
    public var fractions: Bool
    public init(title: String, rowLabel: String = "actual", columnLabel: String = "predicted", rowNames: [String],
                columnNames: [String], values: [[Double]], fractions: Bool = false) {
        (self.title, self.rowLabel, self.columnLabel, self.rowNames, self.columnNames, self.values, self.fractions) =
            (title, rowLabel, columnLabel, rowNames, columnNames, values, fractions)
    }
}

extension Heatmap {
    /// Cells of 56 points, smaller for many classes (the matrix stays under 560 points).
    static func cellSize(_ columns: Int) -> Double { min(56, 560 / Double(max(columns, 1))) }

    /// Where everything goes, worked out before drawing: the row names get
    /// the room their longest needs (up to 240 points); column names that do
    /// not fit across their cells stand upright above them; a long title wraps.
    struct Layout {
        let cell: Double
        /// From the figure's left edge to the first cell, and from its top to the first row.
        let left: Double, top: Double
        let rowNameWidth: Double
        let uprightColumnNames: Bool
        let titleExtra: Double
        let width: Double, height: Double
    }

    static let longestName = 240.0

    var layout: Layout {
        let measure = Measure.shared
        let columns = max(columnNames.count, 1), rows = max(rowNames.count, 1)
        let cell = Heatmap.cellSize(columns)
        let rowNameWidth = min(rowNames.map { measure.width($0, size: 10) }.max() ?? 0, Heatmap.longestName)
        let left = max(124, rowNameWidth + 34)
        let width = max(left + cell * Double(columns) + 16, 240)
        let titleExtra = 16 * Double(max(titleLines(title, width: width).count - 1, 0))
        let columnWidths = columnNames.map { measure.width($0, size: 9) }
        let upright = columnWidths.contains { $0 > cell - 2 }
        // Upright names stand on the matrix: as tall as the longest (up to 240 points).
        let top = 58 + titleExtra + (upright ? min(columnWidths.max() ?? 0, Heatmap.longestName) - 6 : 0)
        return Layout(cell: cell, left: left, top: top, rowNameWidth: rowNameWidth, uprightColumnNames: upright,
                      titleExtra: titleExtra, width: width, height: top + cell * Double(rows) + 18)
    }
}

/// One picture in a grid: RGB bytes, a caption and an optional frame.
public struct GridImage: Equatable, Sendable {
    public enum Frame: Equatable, Sendable { case none, right, wrong }
    public var width: Int
    public var height: Int
    public var rgb: [UInt8]
    public var caption: String
    public var frame: Frame
    public init(width: Int, height: Int, rgb: [UInt8], caption: String = "", frame: Frame = .none) {
        (self.width, self.height, self.rgb, self.caption, self.frame) = (width, height, rgb, caption, frame)
    }
}

/// Pictures in rows and columns with captions (samples of a dataset, predictions).
/// A caption may have several lines ("\n"); a line too wide for its cell is
/// wrapped at spaces rather than cut.
public struct ImageGrid: Equatable, Sendable {
    public var title: String
    public var images: [GridImage]
    public var columns: Int
    /// The side of each picture's cell, in display points.
    public var cellSize: Int
    /// A colour scale drawn in its own row under the title (for heat maps over the pictures).
    public var legend: ColourScale?
    public init(title: String = "", images: [GridImage], columns: Int = 5, cellSize: Int = 112, legend: ColourScale? = nil) {
        (self.title, self.images, self.columns, self.cellSize, self.legend) = (title, images, columns, cellSize, legend)
    }

    /// Caption lines per row of pictures: as many as the longest caption needs.
    var captionLines: Int { max(1, images.map { Captions.lines($0.caption, width: captionWidth).count }.max() ?? 1) }
    /// How wide a caption line may be: a little wider than the picture, never into the next caption.
    var captionWidth: Double { Double(cellSize) + 8 }
    /// Height of one row: the picture, then its caption lines.
    var rowHeight: Double { Double(cellSize) + 21 + 13 * Double(captionLines) }
    /// The pictures' block: columns of cells with 12 points between and around them.
    var contentWidth: Double { Double(max(1, min(columns, images.count))) * (Double(cellSize) + 12) + 12 }
    /// The whole grid: the pictures, or the legend when it is wider.
    var width: Double { max(contentWidth, legend.map { $0.width + 24 } ?? 0) }
    /// The title's lines: wrapped, never cut, to the grid's width.
    var titleLines: [String] { Rendering.titleLines(title, width: width) }
    /// Space above the first row: the title and the legend.
    var headerHeight: Double { (title.isEmpty ? 12 : 22 + 16 * Double(titleLines.count)) + (legend == nil ? 0 : 30) }
}

/// A named colour scale from "low" to "high" (a colour bar).
public struct ColourScale: Equatable, Sendable {
    public var name: String
    public var low: String
    public var high: String
    public var colours: [Colour]
    public init(name: String, low: String, high: String, colours: [Colour]) {
        (self.name, self.low, self.high, self.colours) = (name, low, high, colours)
    }

    static let barWidth = 120.0
    /// The name, the end labels and the bar, with their gaps.
    var width: Double {
        let m = Measure.shared
        return m.width(name, size: 10) + 8 + m.width(low, size: 10) + 6 + ColourScale.barWidth + 6 + m.width(high, size: 10)
    }
}

/// Anything Shoal draws, alone or side by side.
public indirect enum Figure: Equatable, Sendable {
    case line(LineChart)
    case scatter(ScatterChart)
    case bar(BarChart)
    case heatmap(Heatmap)
    case grid(ImageGrid)
    case pairs(PairGrid)
    case row([Figure])

    static let chartSize = (width: 460.0, height: 320.0)

    var size: (width: Double, height: Double) {
        switch self {
        case .line, .scatter, .bar: return Figure.chartSize
        case .heatmap(let h):
            let layout = h.layout
            return (layout.width, layout.height)
        case .grid(let g):
            let columns = max(1, min(g.columns, g.images.count))
            let rows = (g.images.count + columns - 1) / columns
            return (g.width, Double(rows) * g.rowHeight + g.headerHeight)
        case .pairs(let p): return p.size
        case .row(let parts):
            let sizes = parts.map(\.size)
            return (sizes.reduce(0) { $0 + $1.width }, sizes.map(\.height).max() ?? 1)
        }
    }

    /// Draws the figure at twice its display size, as PNG unless told.
    public func render(as format: RenderedImage.Format = .png) throws -> RenderedImage {
        let (w, h) = size
        let canvas = try Canvas(width: Int(w.rounded(.up)), height: Int(h.rounded(.up)))
        try draw(on: canvas, at: (0, 0))
        return format == .png ? try canvas.png(summary: summary) : try canvas.jpeg(summary: summary)
    }

    /// Whether the figure is mostly photographs (grids of pictures), which
    /// notebooks keep as JPEG: a grid of 100 fish is 7.7 MB as PNG.
    public var isPhotographic: Bool {
        switch self {
        case .grid(let g): return !g.images.isEmpty
        case .pairs: return true
        case .row(let parts): return parts.contains(where: \.isPhotographic)
        case .line, .scatter, .bar, .heatmap: return false
        }
    }

    /// The format a notebook shows the figure in: JPEG for photographs, PNG for charts.
    public var displayFormat: RenderedImage.Format { isPhotographic ? .jpeg : .png }

    /// What the figure shows, in words (the `text/plain` form).
    public var summary: String {
        func titled(_ title: String, _ rest: String) -> String { title.isEmpty ? rest : "\(title) — \(rest)" }
        switch self {
        case .line(let c):
            let parts = c.series.map { s -> String in
                guard let last = s.y.last else { return "\(s.name): no values" }
                return "\(s.name) \(String(format: "%.4g", last)) at \(c.xLabel) \(String(format: "%g", s.x.last ?? 0))"
            }
            return titled(c.title, parts.isEmpty ? "no data" : parts.joined(separator: "; "))
        case .scatter(let c):
            return titled(c.title, (c.points.map { "\($0.x.count) \($0.name)" } + c.curves.map(\.name)).joined(separator: ", "))
        case .bar(let c):
            return titled(c.title, c.series.map { s in
                "\(s.name): " + zip(c.categories, s.values).map { "\($0) \(c.percent ? String(format: "%.1f%%", 100 * $1) : String(format: "%g", $1))" }
                    .joined(separator: ", ")
            }.joined(separator: "; "))
        case .heatmap(let m):
            return titled(m.title, "\(m.rowNames.count)×\(m.columnNames.count) (\(m.rowLabel) × \(m.columnLabel))")
        case .grid(let g):
            return titled(g.title, "\(NumberText.count(g.images.count, "image")): " + g.images.prefix(10).map(\.caption).joined(separator: "; ")
                          + (g.images.count > 10 ? "; …" : ""))
        case .pairs(let p): return p.summary
        case .row(let parts):
            return parts.map(\.summary).joined(separator: "\n")
        }
    }

    func draw(on canvas: Canvas, at origin: (Double, Double)) throws {
        switch self {
        case .line(let c): drawLine(c, canvas, origin)
        case .scatter(let c): drawScatter(c, canvas, origin)
        case .bar(let c): drawBars(c, canvas, origin)
        case .heatmap(let m): drawHeatmap(m, canvas, origin)
        case .grid(let g): try drawGrid(g, canvas, origin)
        case .pairs(let p): try drawPairs(p, canvas, origin)
        case .row(let parts):
            var x = origin.0
            for p in parts {
                try p.draw(on: canvas, at: (x, origin.1))
                x += p.size.width
            }
        }
    }
}
