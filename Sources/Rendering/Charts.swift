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
        var decimals = max(0, Int(-floor(log10(step) + 1e-9)))
        if (step / pow(10, floor(log10(step) + 1e-9))).rounded() != step / pow(10, floor(log10(step) + 1e-9)) { decimals += 1 }
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
    public init(title: String, xLabel: String, yLabel: String, series: [LineSeries], markers: [VerticalMarker] = [],
                yRange: ClosedRange<Double>? = nil) {
        (self.title, self.xLabel, self.yLabel, self.series, self.markers, self.yRange) = (title, xLabel, yLabel, series, markers, yRange)
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
    public init(title: String, xLabel: String, yLabel: String, categories: [String], series: [(name: String, values: [Double])]) {
        (self.title, self.xLabel, self.yLabel, self.categories, self.series) = (title, xLabel, yLabel, categories, series)
    }
    public static func == (a: BarChart, b: BarChart) -> Bool {
        a.title == b.title && a.categories == b.categories && a.series.map(\.name) == b.series.map(\.name)
            && a.series.map(\.values) == b.series.map(\.values)
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
public struct ImageGrid: Equatable, Sendable {
    public var title: String
    public var images: [GridImage]
    public var columns: Int
    /// The side of each picture's cell, in display points.
    public var cellSize: Int
    public init(title: String = "", images: [GridImage], columns: Int = 5, cellSize: Int = 112) {
        (self.title, self.images, self.columns, self.cellSize) = (title, images, columns, cellSize)
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
            let cell = Heatmap.cellSize(h.columnNames.count)
            return (max(cell * Double(max(h.columnNames.count, 1)) + 140, 240), cell * Double(max(h.rowNames.count, 1)) + 76)
        case .grid(let g):
            let columns = max(1, min(g.columns, g.images.count))
            let rows = (g.images.count + columns - 1) / columns
            let cell = Double(g.cellSize)
            return (Double(columns) * (cell + 12) + 12, Double(rows) * (cell + 34) + (g.title.isEmpty ? 12 : 38))
        case .pairs(let p): return p.size
        case .row(let parts):
            let sizes = parts.map(\.size)
            return (sizes.reduce(0) { $0 + $1.width }, sizes.map(\.height).max() ?? 1)
        }
    }

    /// Draws the figure to a PNG at twice its display size.
    public func render() throws -> RenderedImage {
        let (w, h) = size
        let canvas = try Canvas(width: Int(w.rounded(.up)), height: Int(h.rounded(.up)))
        try draw(on: canvas, at: (0, 0))
        return try canvas.png(summary: summary)
    }

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
                "\(s.name): " + zip(c.categories, s.values).map { "\($0) \(String(format: "%g", $1))" }.joined(separator: ", ")
            }.joined(separator: "; "))
        case .heatmap(let m):
            return titled(m.title, "\(m.rowNames.count)×\(m.columnNames.count) (\(m.rowLabel) × \(m.columnLabel))")
        case .grid(let g):
            return titled(g.title, "\(g.images.count) images: " + g.images.prefix(10).map(\.caption).joined(separator: "; ")
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

// MARK: - Axes

/// The plot area of a chart and its mapping from data to points.
struct PlotFrame {
    let left, top, right, bottom: Double
    let xTicks: Ticks, yTicks: Ticks

    func px(_ x: Double) -> Double { left + (x - xTicks.low) / (xTicks.high - xTicks.low) * (right - left) }
    func py(_ y: Double) -> Double { bottom - (y - yTicks.low) / (yTicks.high - yTicks.low) * (bottom - top) }
    func contains(_ p: (Double, Double)) -> Bool { p.0 >= left - 0.5 && p.0 <= right + 0.5 && p.1 >= top - 0.5 && p.1 <= bottom + 0.5 }
}

func finiteRange(_ values: [Double]) -> (Double, Double)? {
    let v = values.filter(\.isFinite)
    guard let lo = v.min(), let hi = v.max() else { return nil }
    return (lo, hi)
}

/// Title, axes, grid, tick labels and axis labels of a chart at `origin`.
func drawAxes(_ canvas: Canvas, _ origin: (Double, Double), title: String, xLabel: String, yLabel: String,
              x: (Double, Double), y: (Double, Double), integerX: Bool, fixedY: Bool = false, categories: [String]? = nil) -> PlotFrame {
    let (w, h) = Figure.chartSize
    let xTicks = categories == nil ? Ticks(low: x.0, high: x.1, integers: integerX) : Ticks(low: x.0, high: x.1)
    let yTicks = Ticks(low: y.0, high: y.1, fixed: fixedY)
    let labelWidth = yTicks.values.map { canvas.textWidth(yTicks.label($0), size: 10) }.max() ?? 20
    let frame = PlotFrame(left: origin.0 + 30 + labelWidth, top: origin.1 + 38, right: origin.0 + w - 16,
                          bottom: origin.1 + h - 46, xTicks: xTicks, yTicks: yTicks)
    canvas.text(title, at: (origin.0 + w / 2, origin.1 + 22), size: 13, anchor: .middle, bold: true, maxWidth: w - 16)
    for v in yTicks.values {
        let py = frame.py(v)
        canvas.line([(frame.left, py), (frame.right, py)], .grid, width: 1)
        canvas.text(yTicks.label(v), at: (frame.left - 6, py + 3.5), size: 10, colour: .axis, anchor: .end)
    }
    if let categories {
        for (i, name) in categories.enumerated() {
            let slot = (frame.right - frame.left) / Double(max(categories.count, 1))
            canvas.text(name, at: (frame.left + slot * (Double(i) + 0.5), frame.bottom + 15), size: 10, colour: .axis,
                        anchor: .middle, maxWidth: slot - 4)
        }
    } else {
        for v in xTicks.values {
            let px = frame.px(v)
            canvas.line([(px, frame.top), (px, frame.bottom)], .grid, width: 1)
            canvas.text(xTicks.label(v), at: (px, frame.bottom + 15), size: 10, colour: .axis, anchor: .middle)
        }
    }
    canvas.line([(frame.left, frame.top), (frame.left, frame.bottom), (frame.right, frame.bottom)], .axis, width: 1)
    canvas.text(xLabel, at: ((frame.left + frame.right) / 2, origin.1 + h - 12), size: 11, anchor: .middle)
    canvas.text(yLabel, at: (origin.0 + 14, (frame.top + frame.bottom) / 2), size: 11, anchor: .middle, rotated: true)
    return frame
}

/// A legend in the corner of the plot that covers the fewest data points.
func drawLegend(_ canvas: Canvas, _ frame: PlotFrame, entries: [(name: String, colour: Colour, sample: (Canvas, (Double, Double)) -> Void)],
                points: [(Double, Double)]) {
    guard !entries.isEmpty else { return }
    let width = (entries.map { canvas.textWidth($0.name, size: 10) }.max() ?? 0) + 36
    let height = Double(entries.count) * 16 + 8
    let corners = [(frame.right - width - 6, frame.top + 6), (frame.right - width - 6, frame.bottom - height - 6),
                   (frame.left + 6, frame.top + 6), (frame.left + 6, frame.bottom - height - 6)]
    let covered = corners.map { c in points.filter { $0.0 >= c.0 && $0.0 <= c.0 + width && $0.1 >= c.1 && $0.1 <= c.1 + height }.count }
    let corner = corners[covered.indices.min { covered[$0] < covered[$1] } ?? 0]
    canvas.fill(rect: (corner.0, corner.1, width, height), .white, alpha: 0.9)
    canvas.strokeRect((corner.0, corner.1, width, height), .grid, width: 1)
    for (i, e) in entries.enumerated() {
        let y = corner.1 + 12 + Double(i) * 16
        e.sample(canvas, (corner.0 + 14, y))
        canvas.text(e.name, at: (corner.0 + 28, y + 3.5), size: 10)
    }
}

// MARK: - Charts

func drawLine(_ c: LineChart, _ canvas: Canvas, _ origin: (Double, Double)) {
    let xs = c.series.flatMap(\.x) + c.markers.map(\.x)
    let xr = finiteRange(xs) ?? (0, 1)
    let yr = c.yRange.map { ($0.lowerBound, $0.upperBound) } ?? finiteRange(c.series.flatMap(\.y)) ?? (0, 1)
    let integerX = xs.allSatisfy { $0 == $0.rounded() }
    let frame = drawAxes(canvas, origin, title: c.title, xLabel: c.xLabel, yLabel: c.yLabel, x: xr, y: yr, integerX: integerX,
                         fixedY: c.yRange != nil)
    var plotted: [(Double, Double)] = []
    for (i, s) in c.series.enumerated() {
        let colour = Palette.colour(i)
        let points = zip(s.x, s.y).filter { $0.0.isFinite && $0.1.isFinite }.map { (frame.px($0.0), frame.py($0.1)) }
        canvas.line(points, colour, width: 2, dashed: s.dashed)
        if points.count <= 40 { for p in points { canvas.marker(.circle, at: p, size: 5, colour) } }
        plotted += points
    }
    for m in c.markers where m.x >= frame.xTicks.low && m.x <= frame.xTicks.high {
        let px = frame.px(m.x)
        canvas.line([(px, frame.top), (px, frame.bottom)], .axis, width: 1.2, dashed: true)
        canvas.text(m.label, at: (px + 4, frame.top + 12), size: 10, colour: .axis, anchor: px > frame.right - 90 ? .end : .start)
    }
    drawLegend(canvas, frame, entries: c.series.enumerated().map { i, s in
        (s.name, Palette.colour(i), { canvas, p in
            canvas.line([(p.0 - 9, p.1), (p.0 + 9, p.1)], Palette.colour(i), width: 2, dashed: s.dashed)
        })
    }, points: plotted)
}

func drawScatter(_ c: ScatterChart, _ canvas: Canvas, _ origin: (Double, Double)) {
    let xr = finiteRange(c.points.flatMap(\.x) + c.curves.flatMap(\.x)) ?? (0, 1)
    let yr = c.yRange.map { ($0.lowerBound, $0.upperBound) } ?? finiteRange(c.points.flatMap(\.y)) ?? (0, 1)
    let frame = drawAxes(canvas, origin, title: c.title, xLabel: c.xLabel, yLabel: c.yLabel, x: xr, y: yr, integerX: false,
                         fixedY: c.yRange != nil)
    var plotted: [(Double, Double)] = []
    let shapes: [PointMarker: Canvas.MarkerShape] = [.circle: .circle, .triangle: .triangle, .square: .square, .diamond: .diamond]
    for (i, s) in c.curves.enumerated() {
        let colour = Palette.colour(c.points.count + i)
        // Curves may shoot off the chart (a high-degree polynomial): clip them to the plot area.
        canvas.clip((frame.left, frame.top, frame.right - frame.left, frame.bottom - frame.top))
        canvas.line(zip(s.x, s.y).filter { $0.0.isFinite && $0.1.isFinite }.map { (frame.px($0.0), frame.py($0.1)) },
                    colour, width: 2, dashed: s.dashed)
        canvas.unclip()
    }
    for (i, s) in c.points.enumerated() {
        let colour = Palette.colour(i)
        for (x, y) in zip(s.x, s.y) where x.isFinite && y.isFinite {
            let p = (frame.px(x), frame.py(y))
            guard frame.contains(p) else { continue }
            canvas.marker(shapes[s.marker] ?? .circle, at: p, size: 7, colour, filled: !s.hollow)
            plotted.append(p)
        }
    }
    let pointEntries: [(name: String, colour: Colour, sample: (Canvas, (Double, Double)) -> Void)] = c.points.enumerated().map { i, s in
        (s.name, Palette.colour(i), { canvas, p in canvas.marker(shapes[s.marker] ?? .circle, at: p, size: 7, Palette.colour(i), filled: !s.hollow) })
    }
    let curveEntries: [(name: String, colour: Colour, sample: (Canvas, (Double, Double)) -> Void)] = c.curves.enumerated().map { i, s in
        let colour = Palette.colour(c.points.count + i)
        return (s.name, colour, { canvas, p in canvas.line([(p.0 - 9, p.1), (p.0 + 9, p.1)], colour, width: 2, dashed: s.dashed) })
    }
    drawLegend(canvas, frame, entries: pointEntries + curveEntries, points: plotted)
}

func drawBars(_ c: BarChart, _ canvas: Canvas, _ origin: (Double, Double)) {
    let top = c.series.flatMap(\.values).filter(\.isFinite).max() ?? 1
    let frame = drawAxes(canvas, origin, title: c.title, xLabel: c.xLabel, yLabel: c.yLabel, x: (0, 1),
                         y: (0, max(top, 1e-9)), integerX: false, categories: c.categories)
    let slot = (frame.right - frame.left) / Double(max(c.categories.count, 1))
    let barWidth = slot * 0.8 / Double(max(c.series.count, 1))
    var plotted: [(Double, Double)] = []
    for (s, series) in c.series.enumerated() {
        for (i, value) in series.values.enumerated() where i < c.categories.count && value.isFinite {
            let x = frame.left + slot * Double(i) + slot * 0.1 + barWidth * Double(s)
            let y = frame.py(max(value, 0))
            canvas.fill(rect: (x, y, barWidth - 1, frame.bottom - y), Palette.colour(s))
            if barWidth >= 16 {
                canvas.text(String(format: "%g", value), at: (x + barWidth / 2, y - 3), size: 9, colour: .axis, anchor: .middle)
            }
            plotted.append((x + barWidth / 2, y))
        }
    }
    if c.series.count > 1 {
        drawLegend(canvas, frame, entries: c.series.enumerated().map { i, s in
            (s.name, Palette.colour(i), { canvas, p in canvas.fill(rect: (p.0 - 6, p.1 - 5, 12, 10), Palette.colour(i)) })
        }, points: plotted)
    }
}

func drawHeatmap(_ m: Heatmap, _ canvas: Canvas, _ origin: (Double, Double)) {
    let (w, _) = Figure.heatmap(m).size
    let columns = max(m.columnNames.count, 1), rows = max(m.rowNames.count, 1)
    let cell = Heatmap.cellSize(columns)
    let left = origin.0 + 124, top = origin.1 + 58
    canvas.text(m.title, at: (origin.0 + w / 2, origin.1 + 22), size: 13, anchor: .middle, bold: true, maxWidth: w - 16)
    canvas.text(m.columnLabel, at: (left + cell * Double(columns) / 2, origin.1 + 40), size: 11, anchor: .middle)
    let rowNameWidth = min(m.rowNames.map { canvas.textWidth($0, size: 10) }.max() ?? 0, 96)
    canvas.text(m.rowLabel, at: (left - rowNameWidth - 14, top + cell * Double(rows) / 2), size: 11, anchor: .middle, rotated: true)
    let values = m.values.flatMap { $0 }.filter(\.isFinite)
    let highest = max(values.max() ?? 1, 1e-12)
    for (c, name) in m.columnNames.enumerated() {
        canvas.text(name, at: (left + cell * (Double(c) + 0.5), top - 5), size: 9, colour: .axis, anchor: .middle, maxWidth: cell - 2)
    }
    for (r, name) in m.rowNames.enumerated() {
        canvas.text(name, at: (left - 6, top + cell * (Double(r) + 0.5) + 3.5), size: 10, colour: .axis, anchor: .end, maxWidth: 96)
        for c in 0..<m.columnNames.count {
            let v = r < m.values.count && c < m.values[r].count ? m.values[r][c] : 0
            let fill = Palette.sequential(v / highest)
            canvas.fill(rect: (left + cell * Double(c), top + cell * Double(r), cell - 1, cell - 1), fill)
            let label = m.fractions ? String(format: "%.2f", v) : String(format: "%g", v)
            canvas.text(label, at: (left + cell * (Double(c) + 0.5), top + cell * (Double(r) + 0.5) + 4),
                        size: cell < 30 ? 8 : 11, colour: fill.luminance < 0.45 ? .white : .text, anchor: .middle, maxWidth: cell - 2)
        }
    }
}

func drawGrid(_ g: ImageGrid, _ canvas: Canvas, _ origin: (Double, Double)) throws {
    let columns = max(1, min(g.columns, g.images.count))
    let cell = Double(g.cellSize)
    let top = origin.1 + (g.title.isEmpty ? 12 : 38)
    if !g.title.isEmpty {
        canvas.text(g.title, at: (origin.0 + Figure.grid(g).size.width / 2, origin.1 + 24), size: 13, anchor: .middle, bold: true)
    }
    for (i, image) in g.images.enumerated() {
        let x = origin.0 + 12 + Double(i % columns) * (cell + 12)
        let y = top + Double(i / columns) * (cell + 34)
        // Fit the picture in its square, keeping its proportions.
        let scale = min(cell / Double(max(image.width, 1)), cell / Double(max(image.height, 1)))
        let (dw, dh) = (Double(image.width) * scale, Double(image.height) * scale)
        try canvas.image(rgb: image.rgb, width: image.width, height: image.height,
                         into: (x + (cell - dw) / 2, y + (cell - dh) / 2, dw, dh))
        switch image.frame {
        case .none: break
        case .right: canvas.strokeRect((x - 2, y - 2, cell + 4, cell + 4), .right, width: 3)
        case .wrong: canvas.strokeRect((x - 2, y - 2, cell + 4, cell + 4), .wrong, width: 3, dashed: true)
        }
        canvas.text(image.caption, at: (x + cell / 2, y + cell + 17), size: 10,
                    colour: image.frame == .wrong ? .wrong : .text, anchor: .middle, maxWidth: cell + 10)
    }
}
