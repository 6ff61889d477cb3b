import Foundation
import Testing
@testable import Rendering

@Suite("pictures for looking at a model") struct InterpretationChartTests {
    /// Captions wrap, first after " / ", then at spaces, and never lose a word.
    @Test func captionsWrapInsteadOfBeingCut() {
        for caption in ["striped bass / striped bass\n47.9%", "largemouth black bass / smallmouth bass\nloss 2.31\np(smallmouth bass) 9.9%"] {
            let lines = Captions.lines(caption, width: 128)
            #expect(lines.allSatisfy { Measure.shared.width($0, size: 10) <= 128 }, "\(lines)")
            #expect(lines.joined(separator: " ").split(separator: " ") == caption.split { $0 == " " || $0 == "\n" }, "\(lines)")
        }
        #expect(Captions.lines("striped bass / striped bass", width: 128) == ["striped bass /", "striped bass"])
        #expect(Captions.lines("trout / perch", width: 128) == ["trout / perch"])
        let one = ImageGrid(images: [GridImage(width: 2, height: 2, rgb: [UInt8](repeating: 90, count: 12), caption: "trout / perch")], cellSize: 120)
        var three = one
        three.images[0].caption = "striped bass / striped bass\n47.9%"
        #expect(three.captionLines == 3 && one.captionLines == 1)
        #expect(Figure.grid(three).size.height == Figure.grid(one).size.height + 26, "room for every line")
    }

    /// Cold parts of the picture stay as they were; the hottest is tinted
    /// but the picture still shows through; the scale gets lighter as it gets hotter.
    @Test func heatOverlayLeavesThePictureVisible() throws {
        let rgb: [UInt8] = [40, 80, 120, 40, 80, 120, 200, 30, 30]
        let out = try HeatOverlay.blend(rgb: rgb, heat: [0, 1, 0.5])
        #expect(Array(out[0..<3]) == [40, 80, 120])
        #expect(Array(out[3..<6]) != [40, 80, 120])
        let hot = HeatOverlay.overlayColour(1)
        for k in 0..<3 {
            let expected = Double(rgb[3 + k]) * (1 - HeatOverlay.opacity) + [hot.r, hot.g, hot.b][k] * 255 * HeatOverlay.opacity
            #expect(abs(Double(out[3 + k]) - expected) <= 1, "40 % of the picture remains under the hottest heat")
        }
        let luminance = (0...10).map { HeatOverlay.colour(Double($0) / 10).luminance }
        #expect(zip(luminance, luminance.dropFirst()).allSatisfy { $0 < $1 }, "readable in grey too: \(luminance)")
        #expect(throws: RenderError.self) { try HeatOverlay.blend(rgb: rgb, heat: [0, 1]) }
    }

    @Test func explainedGridHasItsLegendAboveThePictures() throws {
        let picture = [UInt8](repeating: 128, count: 16 * 16 * 3)
        var heat = [Float](repeating: 0, count: 256)
        for i in 0..<64 { heat[i] = 1 }
        let tinted = try HeatOverlay.blend(rgb: picture, heat: heat)
        let grid = ImageGrid(title: "Where the model looked", images: [GridImage(width: 16, height: 16, rgb: tinted, caption: "perch / perch\n90.0%")],
                             columns: 1, cellSize: 120, legend: HeatOverlay.legend)
        let image = try Figure.grid(grid).render()
        save(image, "explained-grid")
        let decoded = try Decoded(image.bytes)
        #expect(decoded.width == 2 * Int(Figure.grid(grid).size.width.rounded(.up)))
        // The colour bar sits in its own band between the title and the picture.
        let hottest = HeatOverlay.legend.colours.last!
        let barTop = 2 * 34, pictureTop = 2 * Int(grid.headerHeight)
        #expect(decoded.count(near: hottest, in: 0..<decoded.width, barTop..<pictureTop, tolerance: 12) > 20)
        #expect(pictureTop > barTop + 2 * 22)
    }

    @Test func horizontalPercentBarsAndALogAxis() throws {
        let bars = BarChart(title: "The model says perch", xLabel: "probability", yLabel: "", categories: ["perch", "striped bass", "trout"],
                            series: [(name: "probability", values: [0.7, 0.25, 0.05])], horizontal: true, percent: true)
        #expect(Figure.bar(bars).summary == "The model says perch — probability: perch 70.0%, striped bass 25.0%, trout 5.0%")
        let image = try Figure.bar(bars).render()
        save(image, "prediction-bars")
        let decoded = try Decoded(image.bytes)
        // The first bar is longer than the second, which is longer than the third.
        func barLength(_ row: Int) -> Int { decoded.count(near: Palette.colour(row == 0 ? 0 : 4), in: 0..<decoded.width, (2 * (40 + 78 * row + 39))..<(2 * (40 + 78 * row + 40))) }
        #expect(barLength(0) > barLength(1) && barLength(1) > barLength(2) && barLength(2) > 0)

        let rates = (0...60).map { pow(10, -6 + Double($0) / 10) }
        let chart = LineChart(title: "Loss as the learning rate rises", xLabel: "learning rate (log scale)", yLabel: "loss",
                              series: [LineSeries(name: "loss", x: rates, y: rates.map { 1 / (1 + $0 * 100) })],
                              markers: [VerticalMarker(x: 0.003, label: "suggested 0.003")], logX: true, legend: false)
        save(try Figure.line(chart).render(), "learning-rates")
        #expect(["1e-6", "1e-5", "1e-4", "0.001", "0.01", "0.1", "1"] == (-6...0).map { powerOfTenLabel(Double($0)) })
    }

    /// A marker's label goes beside its line where no data line passes under
    /// it: right of the marker, else left, else lower down.
    @Test func markerLabelsStayOffTheLines() {
        let ticks = Ticks(low: 0, high: 1, fixed: true)
        let frame = PlotFrame(left: 50, top: 40, right: 450, bottom: 300, xTicks: ticks, yTicks: ticks)
        #expect(markerLabelPlace(width: 80, beside: 200, frame: frame, lines: []) == (204, 52, .start))
        // A line shooting up just right of the marker (a learning-rate blow-up) takes the right side.
        let blowUp = [(150.0, 250.0), (230.0, 240.0), (240.0, 0.0)]
        let left = markerLabelPlace(width: 80, beside: 200, frame: frame, lines: [blowUp])
        #expect(left == (196, 52, .end))
        // A flat line along the top on both sides sends the label below it.
        let top = [(50.0, 50.0), (450.0, 50.0)]
        let lower = markerLabelPlace(width: 80, beside: 200, frame: frame, lines: [top])
        #expect(lower.y > 60 && lower.anchor == .start)
        // Near the right edge the label turns left.
        #expect(markerLabelPlace(width: 80, beside: 420, frame: frame, lines: []).anchor == .end)
    }
}
