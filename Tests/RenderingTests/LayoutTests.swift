import CTurboJPEG
import Foundation
import Testing
@testable import Rendering

/// Pixels of a JPEG, decoded by libjpeg-turbo as RGB.
private func decodeJPEG(_ bytes: [UInt8]) throws -> (width: Int, height: Int, rgb: [UInt8]) {
    guard let handle = tjInitDecompress() else { throw RenderError("no decoder") }
    defer { tjDestroy(handle) }
    var w: Int32 = 0, h: Int32 = 0, sub: Int32 = 0, space: Int32 = 0
    guard tjDecompressHeader3(handle, bytes, UInt(bytes.count), &w, &h, &sub, &space) == 0 else { throw RenderError("not a JPEG") }
    var rgb = [UInt8](repeating: 0, count: Int(w * h * 3))
    guard tjDecompress2(handle, bytes, UInt(bytes.count), &rgb, w, 0, h, Int32(TJPF_RGB.rawValue), 0) == 0 else { throw RenderError("undecodable") }
    return (Int(w), Int(h), rgb)
}

@Suite struct LayoutTests {
    /// A photo-like tile: smooth shading with a little grain, as fish photos are.
    func photo(_ seed: UInt64, _ base: (Int, Int, Int)) -> GridImage {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        var rgb: [UInt8] = []
        for y in 0..<64 {
            for x in 0..<96 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let grain = Int(state >> 61) - 4, shade = (x + y) / 3 - 26
                rgb += [base.0, base.1, base.2].map { UInt8(clamping: $0 + shade + grain) }
            }
        }
        return GridImage(width: 96, height: 64, rgb: rgb, caption: "striped bass / striped bass", frame: seed % 3 == 0 ? .wrong : .right)
    }

    @Test func photographsAreShownAsASmallerJPEG() throws {
        let grid = Figure.grid(ImageGrid(title: "Predicted / actual", images: (0..<20).map { photo(UInt64($0), (90 + 5 * $0, 120, 160 - 4 * $0)) }))
        #expect(grid.displayFormat == .jpeg)
        #expect(Figure.line(LineChart(title: "Loss", xLabel: "epoch", yLabel: "loss", series: [])).displayFormat == .png,
                "charts stay PNG: sharp lines and text")
        let png = try grid.render(), jpeg = try grid.render(as: .jpeg)
        #expect(jpeg.display.data["image/jpeg"] != nil && jpeg.display.data["image/png"] == nil)
        #expect(jpeg.display.metadata["image/jpeg"] == ["width": jpeg.width, "height": jpeg.height])
        #expect(jpeg.bytes.count < png.bytes.count, "JPEG \(jpeg.bytes.count) bytes against PNG \(png.bytes.count)")
        #expect(jpeg.htmlImage.hasPrefix("<img src=\"data:image/jpeg;base64,"))
        // The JPEG shows the same picture: same size, and the first photo's colour in its cell.
        let decoded = try decodeJPEG(jpeg.bytes), reference = try Decoded(png.bytes)
        #expect(decoded.width == reference.width && decoded.height == reference.height)
        var worst = 0
        for (x, y) in [(140, 160), (300, 200), (reference.width / 2, reference.height / 2)] {
            let p = reference.pixel(x, y), i = (y * decoded.width + x) * 3
            worst = max(worst, abs(Int(decoded.rgb[i]) - p.r), abs(Int(decoded.rgb[i + 1]) - p.g), abs(Int(decoded.rgb[i + 2]) - p.b))
        }
        #expect(worst < 40, "pixels within \(worst) of the PNG's")
    }

    @Test func longTitlesWrapInsteadOfBeingCut() throws {
        let title = "Confusion matrix (share of each actual species)"
        let m = Heatmap(title: title, rowNames: ["perch", "trout", "bass"], columnNames: ["perch", "trout", "bass"],
                        values: [[1, 0, 0], [0.1, 0.9, 0], [0, 0.2, 0.8]], fractions: true)
        let figure = Figure.heatmap(m)
        let lines = titleLines(title, width: figure.size.width)
        #expect(lines.count == 2, "\(lines)")
        #expect(lines.joined(separator: " ") == title, "every word is kept")
        #expect(!lines.joined().contains("…"))
        let short = Figure.heatmap(Heatmap(title: "Confusion matrix", rowNames: m.rowNames, columnNames: m.columnNames, values: m.values))
        #expect(figure.size.height == short.size.height + 16, "the matrix moves down by one title line")
        let image = try figure.render()
        let png = try Decoded(image.bytes)
        // The second title line has ink; the top-left cell (a dark 1.00) starts below it.
        #expect(png.ink(in: 100..<(png.width - 100), 2 * 30..<2 * 44) > 50)
        let top = 2 * (58 + 16), left = 2 * 124
        #expect(png.count(near: Palette.sequential(1), in: (left + 10)..<(left + 90), (top + 10)..<(top + 90), tolerance: 30) > 1000)
    }

    @Test func aTitleWrapsAtSpacesNotAfterASlash() {
        // Lesson 5's mistakes grid: the first line ended "(predicted /", the second began "actual, loss, …".
        let title = "The 8 test pictures with the highest loss (predicted / actual, loss, probability of the actual class)"
        let lines = titleLines(title, width: 4 * 120 + 40)
        #expect(lines.count >= 2, "\(lines)")
        #expect(lines.joined(separator: " ") == title, "every word is kept")
        #expect(!lines.contains { $0.hasSuffix("/") }, "no line ends on the slash: \(lines)")
        #expect(lines[0] == "The 8 test pictures with the highest loss", "the parenthesis starts a line: \(lines)")
    }

    @Test func longSpeciesNamesInAConfusionMatrixAreWrittenInFull() throws {
        let names = ["atlantic bluefin tuna", "largemouth bass", "rainbow trout", "perch"]
        let values = names.indices.map { r in names.indices.map { c in r == c ? 0.7 : 0.1 } }
        let m = Heatmap(title: "Confusion matrix", rowNames: names, columnNames: names, values: values, fractions: true)
        let layout = m.layout
        #expect(layout.uprightColumnNames, "names wider than their cells stand upright")
        let widest = names.map { Measure.shared.width($0, size: 10) }.max() ?? 0
        #expect(layout.rowNameWidth >= widest, "the row names get the room they need")
        #expect(layout.top - layout.titleExtra - 58 >= names.map { Measure.shared.width($0, size: 9) }.max()! - 6)
        let image = try Figure.heatmap(m).render()
        save(image, "confusion-long-names")
        let png = try Decoded(image.bytes)
        #expect(png.width == Int(2 * layout.width.rounded(.up)) && png.height == Int(2 * layout.height.rounded(.up)))
        // The first row name starts right of the rotated "actual" and left of the cells: ink in its band, none at the edge.
        let rowY = Int(2 * (layout.top + layout.cell / 2))
        #expect(png.ink(in: Int(2 * (layout.left - 6 - widest))..<Int(2 * (layout.left - 6)), (rowY - 16)..<(rowY + 8)) > 100)
        let short = Heatmap(title: "Confusion matrix", rowNames: ["cod", "eel"], columnNames: ["cod", "eel"], values: [[1, 0], [0, 1]])
        #expect(!short.layout.uprightColumnNames && short.layout.left == 124 && short.layout.top == 58)
    }

    @Test func barNamesWrapOrTheBarsLieDownRatherThanCutANameShort() throws {
        let remedies = ["none", "more data", "augmentation", "dropout", "weight decay", "early stopping"]
        // A y axis labelled 0 to 60 leaves 46 points left of the plot.
        let left = plotLeftMargin(y: (0, 60), fixed: false, label: nil)
        #expect(!categoryNamesFit(remedies, left: left), "'augmentation' is wider than a sixth of the chart")
        #expect(categoryNamesFit(["more data", "weight decay", "early stopping", "none", "dropout"], left: left), "two-word names wrap")
        // Wide tick labels take room from the bars: five names that fit beside "60" do not beside "1000000 people".
        let wide = plotLeftMargin(y: (0, 1_000_000), fixed: false, label: { String(format: "%.0f people", $0) })
        let five = ["augmentation", "none", "dropout", "salmon", "cod"]
        #expect(categoryNamesFit(five, left: left) && !categoryNamesFit(five, left: wide))
        let chart = Figure.bar(BarChart(title: "Validation accuracy with each remedy alone", xLabel: "remedy",
                                        yLabel: "validation accuracy (%)", categories: remedies,
                                        series: [("validation accuracy", [45, 69, 60, 45, 43, 57])]))
        let image = try chart.render()
        save(image, "bars-long-names")
        let png = try Decoded(image.bytes)
        // The first bar ("none", 45) lies down: its colour spans far more across than down.
        var xs: [Int] = [], ys: [Int] = []
        for y in 0..<png.height { for x in 0..<png.width where png.count(near: Palette.colour(0), in: x..<(x + 1), y..<(y + 1), tolerance: 10) > 0 {
            xs.append(x); ys.append(y)
        } }
        let across = (xs.max() ?? 0) - (xs.min() ?? 0), down = (ys.max() ?? 0) - (ys.min() ?? 0)
        #expect(across > 3 * down, "\(across) × \(down)")
        #expect(image.summary.contains("early stopping 57"))
    }

    @Test func aBarChartsLegendSitsAboveItsTallestBars() throws {
        // Lesson 1's split: 80 training pictures per species against 10 and 10, the tallest bar last.
        let chart = Figure.bar(BarChart(title: "Pictures per species in each part", xLabel: "species", yLabel: "pictures",
                                        categories: ["perch", "striped bass", "trout"],
                                        series: [("training", [80, 80, 80]), ("validation", [10, 10, 10]), ("test", [10, 10, 10])]))
        let image = try chart.render()
        save(image, "bars-legend")
        let png = try Decoded(image.bytes)
        // The top of the plot (from the title down to where the 80s' values start) holds the legend but no bar.
        let training = png.count(near: Palette.colour(0), in: 0..<png.width, 2 * 40..<2 * 100, tolerance: 10)
        #expect(training < 600, "only the legend's small training swatch up there, not a bar: \(training) pixels")
        #expect(png.count(near: Palette.colour(0), in: 0..<png.width, 2 * 150..<2 * 250, tolerance: 10) > 3000, "the bars stand below")
    }

    @Test func uprightBarsOfSharesAreWrittenAsPercentages() throws {
        let shares = BarChart(title: "Precision and recall", xLabel: "", yLabel: "", categories: ["precision", "recall"],
                              series: [("trout", [0.741935, 0.5])], percent: true)
        let image = try Figure.bar(shares).render()
        save(image, "bars-percent")
        let png = try Decoded(image.bytes)
        // The 74 % bar reaches about three quarters up an axis that ends at 100 %.
        var top = png.height
        for y in 0..<png.height where png.count(near: Palette.colour(0), in: 0..<png.width / 2, y..<(y + 1), tolerance: 10) > 20 { top = min(top, y) }
        let plotTop = 2 * 38.0, plotBottom = 2 * (320.0 - 46)
        let reached = (plotBottom - Double(top)) / (plotBottom - plotTop)
        #expect(abs(reached - 0.74) < 0.03, "the bar reaches \(reached) of the axis")
    }

    @Test func theLegendNeverCoversAMarkerLabelOrALine() {
        let frame = PlotFrame(left: 50, top: 40, right: 440, bottom: 270,
                              xTicks: Ticks(low: 0, high: 20), yTicks: Ticks(low: 0, high: 1))
        // "best epoch" written at the top right, nothing else drawn: the legend leaves the top right.
        let label = Box(x0: 380, y0: 48, x1: 436, y1: 60)
        let place = legendPlace(width: 110, height: 40, frame: frame, points: [], lines: [], avoid: [label])
        #expect(!place.overlaps(label))
        #expect(place.y0 > 150, "bottom right is next: \(place)")
        // A line with only two points crossing the bottom right corner counts, not just its points.
        let line = [(frame.px(0), frame.py(0.9)), (frame.px(20), frame.py(0.02))]
        let placed = legendPlace(width: 110, height: 40, frame: frame, points: line, lines: [line], avoid: [label])
        #expect(!placed.overlaps(label))
        #expect(placed.pixelsCrossed(by: [line]) == 0, "the legend sits clear of the line: \(placed)")
    }

    @Test func whenEveryCornerIsTakenTheLegendSitsMidEdge() {
        // Lesson 3's degree-9 curve: it plunges at both ends, through all four corners; the middle of the bottom is free.
        let frame = PlotFrame(left: 50, top: 40, right: 440, bottom: 270,
                              xTicks: Ticks(low: 0, high: 1), yTicks: Ticks(low: 0, high: 1))
        let wild = [(0.0, 0.0), (0.05, 1.0), (0.5, 0.8), (0.95, 1.0), (1.0, 0.0)].map { (frame.px($0.0), frame.py($0.1)) }
        let place = legendPlace(width: 150, height: 60, frame: frame, points: [], lines: [wild], avoid: [])
        #expect(place.pixelsCrossed(by: [wild]) == 0, "the legend sits clear of the curve: \(place)")
        #expect(place.y0 > 150, "at the bottom, under the curve: \(place)")
    }

    @Test func aScatterChartsLegendLeavesItsCurvesVisible() throws {
        // Points in the middle of the left half; one curve straight down near the right edge, through both right corners.
        let points = PointSeries(name: "past", x: [0, 0.2, 0.3, 0.4], y: [0.4, 0.5, 0.6, 0.5])
        var chart = ScatterChart(title: "", xLabel: "x", yLabel: "y", points: [points], yRange: 0...1)
        chart.curves = [LineSeries(name: "a curve with a long name", x: [0.95, 0.95], y: [0, 1])]
        let png = try Decoded(Figure.scatter(chart).render().bytes)
        // The curve's colour in every row of the plot's middle four fifths: no legend box over it.
        let colour = Palette.colour(1)
        let rows = (png.height / 8)..<(png.height * 7 / 10)
        let covered = rows.filter { y in png.count(near: colour, in: (png.width * 3 / 4)..<png.width, y..<(y + 1), tolerance: 30) == 0 }
        #expect(covered.isEmpty, "rows where the curve is hidden: \(covered.count)")
    }

    @Test func aScatterChartsAxisFollowsItsCurvesOnlySoFar() {
        let points = PointSeries(name: "past", x: [0, 0.5, 1], y: [1.0, 1.2, 1.4])
        var chart = ScatterChart(title: "t", xLabel: "x", yLabel: "y", points: [points])
        chart.curves = [LineSeries(name: "gentle", x: [0, 1], y: [0.9, 1.5])]
        let gentle = scatterRange(chart)
        #expect(gentle.0 == 0.9 && gentle.1 == 1.5, "a curve just past the points is shown whole: \(gentle)")
        chart.curves.append(LineSeries(name: "wild", x: [0, 1], y: [-40, 60]))
        let wild = scatterRange(chart)
        #expect(abs(wild.0 - 0.8) < 1e-9 && abs(wild.1 - 1.6) < 1e-9, "a wild curve widens the axis by half the points' span, no more: \(wild)")
    }
}
