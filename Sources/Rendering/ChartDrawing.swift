import Foundation

// Axes, legends and each kind of chart drawn on a canvas.

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

/// A chart's title, centred over `width` and wrapped (never cut) into as
/// many 16-point lines as it needs; returns the height added below the first line.
@discardableResult
func drawTitle(_ canvas: Canvas, _ title: String, centre: Double, top: Double, width: Double) -> Double {
    let lines = titleLines(title, width: width)
    for (k, line) in lines.enumerated() {
        canvas.text(line, at: (centre, top + 16 * Double(k)), size: 13, anchor: .middle, bold: true)
    }
    return 16 * Double(max(lines.count - 1, 0))
}

/// The lines a title takes at 13 points bold in `width` less a margin: a
/// title too wide breaks before its parenthesis first, then at spaces.
func titleLines(_ title: String, width: Double) -> [String] {
    guard !title.isEmpty else { return [] }
    let fits = Captions.lines(title, width: width - 16, size: 13, bold: true, slashFirst: false)
    guard fits.count > 1, let open = title.range(of: " (") else { return fits }
    let parts = [String(title[..<open.lowerBound]), String(title[title.index(after: open.lowerBound)...])]
    return parts.flatMap { Captions.lines($0, width: width - 16, size: 13, bold: true, slashFirst: false) }
}

/// Title, axes, grid, tick labels and axis labels of a chart at `origin`.
func drawAxes(_ canvas: Canvas, _ origin: (Double, Double), title: String, xLabel: String, yLabel: String,
              x: (Double, Double), y: (Double, Double), integerX: Bool, fixedY: Bool = false, categories: [String]? = nil,
              xTickLabel: ((Double) -> String)? = nil, yTickLabel: ((Double) -> String)? = nil) -> PlotFrame {
    let (w, h) = Figure.chartSize
    // Custom tick labels (powers of ten) keep the data's range.
    let xTicks = categories == nil ? Ticks(low: x.0, high: x.1, integers: integerX, fixed: xTickLabel != nil) : Ticks(low: x.0, high: x.1)
    let yTicks = Ticks(low: y.0, high: y.1, fixed: fixedY)
    let yLabelOf = yTickLabel ?? yTicks.label
    let extra = drawTitle(canvas, title, centre: origin.0 + w / 2, top: origin.1 + 22, width: w)
    let (left, right) = (origin.0 + plotLeftMargin(y: y, fixed: fixedY, label: yTickLabel), origin.0 + w - 16)
    // Category names wrap onto a second line rather than being cut; the plot makes room for it.
    let slot = (right - left) / Double(max(categories?.count ?? 1, 1))
    let names = (categories ?? []).map { Captions.lines($0, width: slot - 4) }
    let nameLines = min(names.map(\.count).max() ?? 1, 2)
    let frame = PlotFrame(left: left, top: origin.1 + 38 + extra, right: right,
                          bottom: origin.1 + h - 46 - 12 * Double(nameLines - 1), xTicks: xTicks, yTicks: yTicks)
    for v in yTicks.values {
        let py = frame.py(v)
        canvas.line([(frame.left, py), (frame.right, py)], .grid, width: 1)
        canvas.text(yLabelOf(v), at: (frame.left - 6, py + 3.5), size: 10, colour: .axis, anchor: .end)
    }
    if categories != nil {
        for (i, lines) in names.enumerated() {
            for (k, line) in lines.prefix(2).enumerated() {
                canvas.text(line, at: (frame.left + slot * (Double(i) + 0.5), frame.bottom + 15 + 12 * Double(k)), size: 10,
                            colour: .axis, anchor: .middle, maxWidth: slot - 4)
            }
        }
    } else {
        for v in xTicks.values {
            let px = frame.px(v)
            canvas.line([(px, frame.top), (px, frame.bottom)], .grid, width: 1)
            canvas.text(xTickLabel?(v) ?? xTicks.label(v), at: (px, frame.bottom + 15), size: 10, colour: .axis, anchor: .middle)
        }
    }
    canvas.line([(frame.left, frame.top), (frame.left, frame.bottom), (frame.right, frame.bottom)], .axis, width: 1)
    canvas.text(xLabel, at: ((frame.left + frame.right) / 2, origin.1 + h - 12), size: 11, anchor: .middle)
    canvas.text(yLabel, at: (origin.0 + 14, (frame.top + frame.bottom) / 2), size: 11, anchor: .middle, rotated: true)
    return frame
}

/// A legend in the corner of the plot that covers the fewest data points
/// and line pieces, and never a label (`avoid`: marker labels' boxes).
func drawLegend(_ canvas: Canvas, _ frame: PlotFrame, entries: [(name: String, colour: Colour, sample: (Canvas, (Double, Double)) -> Void)],
                points: [(Double, Double)], lines: [[(Double, Double)]] = [], avoid: [Box] = []) {
    guard !entries.isEmpty else { return }
    let width = (entries.map { canvas.textWidth($0.name, size: 10) }.max() ?? 0) + 36
    let height = Double(entries.count) * 16 + 8
    let box = legendPlace(width: width, height: height, frame: frame, points: points, lines: lines, avoid: avoid)
    let corner = (box.x0, box.y0)
    canvas.fill(rect: (corner.0, corner.1, width, height), .white, alpha: 0.9)
    canvas.strokeRect((corner.0, corner.1, width, height), .grid, width: 1)
    for (i, e) in entries.enumerated() {
        let y = corner.1 + 12 + Double(i) * 16
        e.sample(canvas, (corner.0 + 14, y))
        canvas.text(e.name, at: (corner.0 + 28, y + 3.5), size: 10)
    }
}

/// The corner of the plot for a legend `width` × `height`: the one that
/// covers no label in `avoid`, then the fewest points and line pixels
/// (top right, bottom right, top left, bottom left on a tie).
func legendPlace(width: Double, height: Double, frame: PlotFrame, points: [(Double, Double)],
                 lines: [[(Double, Double)]], avoid: [Box]) -> Box {
    // The corners first; then the middle of the top and of the bottom edge, for charts whose every corner is taken.
    let middle = (frame.left + frame.right - width) / 2
    let corners = [(frame.right - width - 6, frame.top + 6), (frame.right - width - 6, frame.bottom - height - 6),
                   (frame.left + 6, frame.top + 6), (frame.left + 6, frame.bottom - height - 6),
                   (middle, frame.top + 6), (middle, frame.bottom - height - 6)]
    let boxes = corners.map { Box(x0: $0.0, y0: $0.1, x1: $0.0 + width, y1: $0.1 + height) }
    let cost = boxes.map { box -> Int in
        avoid.filter { $0.overlaps(box) }.count * 1_000_000 + points.filter(box.contains).count + box.pixelsCrossed(by: lines)
    }
    return boxes[cost.indices.min { cost[$0] < cost[$1] } ?? 0]
}

/// A rectangle on the canvas, by its corners.
struct Box {
    var x0, y0, x1, y1: Double
    func contains(_ p: (Double, Double)) -> Bool { p.0 >= x0 && p.0 <= x1 && p.1 >= y0 && p.1 <= y1 }
    func overlaps(_ b: Box) -> Bool { x0 < b.x1 && b.x0 < x1 && y0 < b.y1 && b.y0 < y1 }
    /// How many one-pixel steps along the lines fall inside the box.
    func pixelsCrossed(by lines: [[(Double, Double)]], stopAfter limit: Int = .max) -> Int {
        var n = 0
        for line in lines {
            if line.count == 1, contains(line[0]) { n += 1 }
            for (a, b) in zip(line, line.dropFirst()) {
                // Skip segments whose bounding box misses this one.
                guard max(a.0, b.0) >= x0, min(a.0, b.0) <= x1, max(a.1, b.1) >= y0, min(a.1, b.1) <= y1 else { continue }
                let steps = max(1, Int((abs(b.0 - a.0) + abs(b.1 - a.1)).rounded(.up)))
                for k in 0..<steps {
                    let t = Double(k) / Double(steps)
                    if contains((a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t)) {
                        n += 1
                        if n >= limit { return n }
                    }
                }
            }
        }
        return n
    }
}

// MARK: - Charts

func drawLine(_ c: LineChart, _ canvas: Canvas, _ origin: (Double, Double)) {
    // On a log axis everything is placed by log₁₀(x).
    let along: (Double) -> Double = c.logX ? { $0 > 0 ? log10($0) : -.infinity } : { $0 }
    let xs = (c.series.flatMap(\.x) + c.markers.map(\.x)).map(along)
    var xr = finiteRange(xs) ?? (0, 1)
    if c.logX { xr = (floor(xr.0 + 1e-4), ceil(xr.1 - 1e-4)) }
    let yr = c.yRange.map { ($0.lowerBound, $0.upperBound) } ?? finiteRange(c.series.flatMap(\.y)) ?? (0, 1)
    let integerX = c.logX || xs.allSatisfy { $0 == $0.rounded() }
    let frame = drawAxes(canvas, origin, title: c.title, xLabel: c.xLabel, yLabel: c.yLabel, x: xr, y: yr, integerX: integerX,
                         fixedY: c.yRange != nil, xTickLabel: c.logX ? powerOfTenLabel : nil)
    var plotted: [(Double, Double)] = [], lines: [[(Double, Double)]] = []
    for (i, s) in c.series.enumerated() {
        let colour = Palette.colour(i)
        let points = zip(s.x.map(along), s.y).filter { $0.0.isFinite && $0.1.isFinite }.map { (frame.px($0.0), frame.py($0.1)) }
        // A fixed y range may leave values outside it: the line stops at the plot's edge.
        canvas.clip((frame.left, frame.top, frame.right - frame.left, frame.bottom - frame.top))
        canvas.line(points, colour, width: 2, dashed: s.dashed)
        if points.count <= 40 { for p in points { canvas.marker(.circle, at: p, size: 5, colour) } }
        canvas.unclip()
        plotted += points
        lines.append(points)
    }
    var labels: [Box] = [], markerLines: [[(Double, Double)]] = []
    for m in c.markers where along(m.x) >= frame.xTicks.low && along(m.x) <= frame.xTicks.high {
        let px = frame.px(along(m.x))
        canvas.line([(px, frame.top), (px, frame.bottom)], .axis, width: 1.2, dashed: true)
        let width = canvas.textWidth(m.label, size: 10)
        let place = markerLabelPlace(width: width, beside: px, frame: frame, lines: lines)
        canvas.text(m.label, at: (place.x, place.y), size: 10, colour: .axis, anchor: place.anchor)
        let x0 = place.anchor == .start ? place.x : place.x - width
        labels.append(Box(x0: x0 - 2, y0: place.y - 11, x1: x0 + width + 2, y1: place.y + 4))
        markerLines.append([(px, frame.top), (px, frame.bottom)])
    }
    guard c.legend else { return }
    drawLegend(canvas, frame, entries: c.series.enumerated().map { i, s in
        (s.name, Palette.colour(i), { canvas, p in
            canvas.line([(p.0 - 9, p.1), (p.0 + 9, p.1)], Palette.colour(i), width: 2, dashed: s.dashed)
        })
    }, points: plotted, lines: lines + markerLines, avoid: labels)
}

/// Where a vertical marker's label (`width` wide, 10-point text) goes: at
/// the top of the plot beside the marker, right of it or else left, on the
/// first side no line passes under; lower down when the lines take both
/// sides at the top; at the top right when nothing is free.
func markerLabelPlace(width: Double, beside px: Double, frame: PlotFrame,
                      lines: [[(Double, Double)]]) -> (x: Double, y: Double, anchor: Canvas.Anchor) {
    func crosses(_ box: Box) -> Bool { box.pixelsCrossed(by: lines, stopAfter: 1) > 0 }
    let rows = stride(from: frame.top + 12, through: frame.bottom - 4, by: 16)
    for y in rows {
        for right in [true, false] {
            let x0 = right ? px + 4 : px - 4 - width
            guard x0 >= frame.left + 2, x0 + width <= frame.right - 2 else { continue }
            if !crosses(Box(x0: x0 - 2, y0: y - 11, x1: x0 + width + 2, y1: y + 4)) { return (right ? px + 4 : px - 4, y, right ? .start : .end) }
        }
    }
    let right = px + 4 + width <= frame.right - 2
    return (right ? px + 4 : px - 4, frame.top + 12, right ? .start : .end)
}

/// The points' values, widened to show where the curves go, but by at most half the points' span on each side:
/// a curve that shoots off (a degree-9 polynomial) leaves the picture instead of squashing the points.
func scatterRange(_ c: ScatterChart) -> (Double, Double) {
    guard let points = finiteRange(c.points.flatMap(\.y)) else { return finiteRange(c.curves.flatMap(\.y)) ?? (0, 1) }
    guard let curves = finiteRange(c.curves.flatMap(\.y)) else { return points }
    let reach = (points.1 - points.0) / 2
    return (max(min(points.0, curves.0), points.0 - reach), min(max(points.1, curves.1), points.1 + reach))
}

func drawScatter(_ c: ScatterChart, _ canvas: Canvas, _ origin: (Double, Double)) {
    let xr = finiteRange(c.points.flatMap(\.x) + c.curves.flatMap(\.x)) ?? (0, 1)
    let yr = c.yRange.map { ($0.lowerBound, $0.upperBound) } ?? scatterRange(c)
    let frame = drawAxes(canvas, origin, title: c.title, xLabel: c.xLabel, yLabel: c.yLabel, x: xr, y: yr, integerX: false,
                         fixedY: c.yRange != nil)
    var plotted: [(Double, Double)] = [], drawn: [[(Double, Double)]] = []
    let shapes: [PointMarker: Canvas.MarkerShape] = [.circle: .circle, .triangle: .triangle, .square: .square, .diamond: .diamond]
    for (i, s) in c.curves.enumerated() {
        let colour = Palette.colour(c.points.count + i)
        // Curves may shoot off the chart (a high-degree polynomial): clip them to the plot area.
        canvas.clip((frame.left, frame.top, frame.right - frame.left, frame.bottom - frame.top))
        let path = zip(s.x, s.y).filter { $0.0.isFinite && $0.1.isFinite }.map { (frame.px($0.0), frame.py($0.1)) }
        canvas.line(path, colour, width: 2, dashed: s.dashed)
        canvas.unclip()
        drawn.append(path)
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
    drawLegend(canvas, frame, entries: pointEntries + curveEntries, points: plotted, lines: drawn)
}

/// The plot's distance from the chart's left edge: the y axis's title and its
/// widest tick label.
func plotLeftMargin(y: (Double, Double), fixed: Bool, label: ((Double) -> String)?) -> Double {
    let ticks = Ticks(low: y.0, high: y.1, fixed: fixed)
    let labelOf = label ?? ticks.label
    return 30 + (ticks.values.map { Measure.shared.width(labelOf($0), size: 10) }.max() ?? 20)
}

/// Whether each category's name fits under its bar, on at most two lines,
/// in a plot that starts `left` points from the chart's edge.
func categoryNamesFit(_ categories: [String], left: Double) -> Bool {
    let slot = (Figure.chartSize.width - 16 - left) / Double(max(categories.count, 1))
    return categories.allSatisfy { name in
        let lines = Captions.lines(name, width: slot - 4)
        return lines.count <= 2 && lines.allSatisfy { Measure.shared.width($0, size: 10) <= slot - 4 }
    }
}

func drawBars(_ c: BarChart, _ canvas: Canvas, _ origin: (Double, Double)) {
    if c.horizontal { return drawHorizontalBars(c, canvas, origin) }
    let top = c.series.flatMap(\.values).filter(\.isFinite).max() ?? 1
    // With a legend, the axis reaches high enough that the tallest bar and its value end below the
    // legend's height (the plot is about 230 points tall), so a top corner is free for it.
    let legendHeight = c.series.count > 1 ? Double(c.series.count) * 16 + 8 : 0
    let headroom = c.series.count > 1 ? min((legendHeight + 26) / 230, 0.6) : 0
    // Shares are written as percentages, on an axis from 0 (to 100 % unless a legend needs room above).
    let percentLabel: (Double) -> String = { String(format: "%.0f%%", $0 * 100) }
    let y = (0.0, c.percent ? 1 / (1 - headroom) : max(top, 1e-9) / (1 - headroom))
    let (fixedY, yTickLabel) = (c.percent && headroom == 0, c.percent ? percentLabel : nil)
    if c.series.count == 1, !categoryNamesFit(c.categories, left: plotLeftMargin(y: y, fixed: fixedY, label: yTickLabel)) {
        // Names too long to stand under their bars ("augmentation" under a sixth of the chart):
        // the bars lie down, names down the side, whole.
        var lying = c
        (lying.horizontal, lying.xLabel, lying.yLabel) = (true, c.yLabel, c.xLabel)
        return drawHorizontalBars(lying, canvas, origin)
    }
    let frame = drawAxes(canvas, origin, title: c.title, xLabel: c.xLabel, yLabel: c.yLabel, x: (0, 1), y: y, integerX: false,
                         fixedY: fixedY, categories: c.categories, yTickLabel: yTickLabel)
    let slot = (frame.right - frame.left) / Double(max(c.categories.count, 1))
    let barWidth = slot * 0.8 / Double(max(c.series.count, 1))
    var plotted: [(Double, Double)] = [], bars: [Box] = []
    for (s, series) in c.series.enumerated() {
        for (i, value) in series.values.enumerated() where i < c.categories.count && value.isFinite {
            let x = frame.left + slot * Double(i) + slot * 0.1 + barWidth * Double(s)
            let y = frame.py(max(value, 0))
            canvas.fill(rect: (x, y, barWidth - 1, frame.bottom - y), Palette.colour(s))
            if barWidth >= 16 {
                canvas.text(c.percent ? percentLabel(value) : String(format: "%g", value), at: (x + barWidth / 2, y - 3), size: 9,
                            colour: .axis, anchor: .middle)
            }
            plotted.append((x + barWidth / 2, y))
            // The bar and the value written above it.
            bars.append(Box(x0: x, y0: y - 14, x1: x + barWidth - 1, y1: frame.bottom))
        }
    }
    if c.series.count > 1 {
        drawLegend(canvas, frame, entries: c.series.enumerated().map { i, s in
            (s.name, Palette.colour(i), { canvas, p in canvas.fill(rect: (p.0 - 6, p.1 - 5, 12, 10), Palette.colour(i)) })
        }, points: plotted, avoid: bars)
    }
}

/// One bar per category, from the left, with the value written after it;
/// the names down the left side, as wide as the longest needs (up to half the chart).
func drawHorizontalBars(_ c: BarChart, _ canvas: Canvas, _ origin: (Double, Double)) {
    let (w, h) = Figure.chartSize
    let values = c.series.first?.values ?? []
    func label(_ v: Double) -> String { c.percent ? String(format: "%.0f%%", v * 100) : String(format: "%g", v) }
    let extra = drawTitle(canvas, c.title, centre: origin.0 + w / 2, top: origin.1 + 22, width: w)
    let nameWidth = min(c.categories.map { canvas.textWidth($0, size: 11) }.max() ?? 40, w / 2)
    let left = origin.0 + 20 + nameWidth, right = origin.0 + w - 56
    let top = origin.1 + 40 + extra, bottom = origin.1 + h - 46
    let high = c.percent ? 1 : max(values.filter(\.isFinite).max() ?? 1, 1e-9)
    let ticks = c.percent ? Ticks(low: 0, high: 1, target: 5, fixed: true) : Ticks(low: 0, high: high, target: 5)
    let scale = (right - left) / max(ticks.high, 1e-12)
    for v in ticks.values {
        let x = left + v * scale
        canvas.line([(x, top), (x, bottom)], .grid, width: 1)
        canvas.text(label(v), at: (x, bottom + 15), size: 10, colour: .axis, anchor: .middle)
    }
    let slot = (bottom - top) / Double(max(c.categories.count, 1))
    for (i, name) in c.categories.enumerated() {
        let y = top + slot * Double(i)
        canvas.text(name, at: (left - 8, y + slot / 2 + 4), size: 11, anchor: .end, maxWidth: nameWidth)
        guard i < values.count, values[i].isFinite else { continue }
        let length = max(values[i], 0) * scale
        canvas.fill(rect: (left, y + slot * 0.18, length, slot * 0.64), Palette.colour(i == 0 ? 0 : 4))
        canvas.text(label(values[i]), at: (left + length + 5, y + slot / 2 + 4), size: 11, colour: .text)
    }
    canvas.line([(left, top), (left, bottom)], .axis, width: 1)
    canvas.text(c.xLabel, at: ((left + right) / 2, origin.1 + h - 12), size: 11, anchor: .middle)
}

func drawHeatmap(_ m: Heatmap, _ canvas: Canvas, _ origin: (Double, Double)) {
    let layout = m.layout, cell = layout.cell
    let columns = max(m.columnNames.count, 1), rows = max(m.rowNames.count, 1)
    drawTitle(canvas, m.title, centre: origin.0 + layout.width / 2, top: origin.1 + 22, width: layout.width)
    let left = origin.0 + layout.left, top = origin.1 + layout.top
    canvas.text(m.columnLabel, at: (left + cell * Double(columns) / 2, origin.1 + 40 + layout.titleExtra), size: 11, anchor: .middle)
    canvas.text(m.rowLabel, at: (left - layout.rowNameWidth - 14, top + cell * Double(rows) / 2), size: 11, anchor: .middle, rotated: true)
    let values = m.values.flatMap { $0 }.filter(\.isFinite)
    let highest = max(values.max() ?? 1, 1e-12)
    for (c, name) in m.columnNames.enumerated() {
        let x = left + cell * (Double(c) + 0.5)
        if layout.uprightColumnNames {
            canvas.text(name, at: (x + 3, top - 5), size: 9, colour: .axis, rotated: true, maxWidth: Heatmap.longestName)
        } else {
            canvas.text(name, at: (x, top - 5), size: 9, colour: .axis, anchor: .middle)
        }
    }
    for (r, name) in m.rowNames.enumerated() {
        canvas.text(name, at: (left - 6, top + cell * (Double(r) + 0.5) + 3.5), size: 10, colour: .axis, anchor: .end,
                    maxWidth: Heatmap.longestName)
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
    let width = g.width
    let top = origin.1 + g.headerHeight
    let left = origin.0 + (width - g.contentWidth) / 2
    let titleLines = g.titleLines
    for (k, line) in titleLines.enumerated() {
        canvas.text(line, at: (origin.0 + width / 2, origin.1 + 24 + 16 * Double(k)), size: 13, anchor: .middle, bold: true)
    }
    if let legend = g.legend {
        drawColourScale(legend, canvas, centre: origin.0 + width / 2, top: origin.1 + (titleLines.isEmpty ? 8 : 18 + 16 * Double(titleLines.count)))
    }
    for (i, image) in g.images.enumerated() {
        let x = left + 12 + Double(i % columns) * (cell + 12)
        let y = top + Double(i / columns) * g.rowHeight
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
        for (k, line) in Captions.lines(image.caption, width: g.captionWidth).enumerated() {
            canvas.text(line, at: (x + cell / 2, y + cell + 17 + 13 * Double(k)), size: 10,
                        colour: image.frame == .wrong ? .wrong : .text, anchor: .middle, maxWidth: g.captionWidth)
        }
    }
}

/// A colour bar with its name and end labels, centred at `centre`, 22 points high.
func drawColourScale(_ scale: ColourScale, _ canvas: Canvas, centre: Double, top: Double) {
    let barWidth = ColourScale.barWidth
    let nameWidth = canvas.textWidth(scale.name, size: 10), lowWidth = canvas.textWidth(scale.low, size: 10)
    var x = centre - scale.width / 2
    let baseline = top + 15
    canvas.text(scale.name, at: (x, baseline), size: 10, colour: .axis)
    x += nameWidth + 8
    canvas.text(scale.low, at: (x, baseline), size: 10, colour: .axis)
    x += lowWidth + 6
    let steps = max(scale.colours.count, 1)
    for (i, c) in scale.colours.enumerated() {
        canvas.fill(rect: (x + barWidth * Double(i) / Double(steps), top + 5, barWidth / Double(steps) + 0.5, 12), c)
    }
    canvas.strokeRect((x, top + 5, barWidth, 12), .grid, width: 1)
    x += barWidth + 6
    canvas.text(scale.high, at: (x, baseline), size: 10, colour: .axis)
}

/// Caption lines: the caption's own lines, each wrapped to fit a width (at
/// 10 points unless told) so that a species name is never cut: after a
/// " / " first (predicted / actual), then at spaces.
enum Captions {
    /// `slashFirst: false` (titles) wraps at spaces only: "(predicted / actual, …)" in a title stays one phrase.
    static func lines(_ caption: String, width: Double, size: Double = 10, bold: Bool = false, slashFirst: Bool = true) -> [String] {
        guard !caption.isEmpty else { return [] }
        let measure = Measure.shared
        func fits(_ s: String) -> Bool { measure.width(s, size: size, bold: bold) <= width }
        /// Pieces packed greedily, joined by `separator`.
        func pack(_ pieces: [String], _ separator: String) -> [String] {
            var out: [String] = [], current = ""
            for piece in pieces {
                let candidate = current.isEmpty ? piece : current + separator + piece
                if current.isEmpty || fits(candidate) { current = candidate } else { out.append(current); current = piece }
            }
            out.append(current)
            return out
        }
        return caption.split(separator: "\n", omittingEmptySubsequences: false).flatMap { line -> [String] in
            let text = String(line)
            if fits(text) { return [text] }
            let halves = slashFirst ? text.components(separatedBy: " / ") : [text]
            let pieces = halves.enumerated().map { i, h in i < halves.count - 1 ? h + " /" : h }
            return pack(pieces, " ").flatMap { part in fits(part) ? [part] : pack(part.split(separator: " ").map(String.init), " ") }
        }
    }
}
