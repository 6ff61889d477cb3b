import CCairo
import Foundation
import Testing
@testable import Rendering

/// A decoded PNG: pixels read back through Cairo.
struct Decoded {
    let width: Int, height: Int
    let pixels: [UInt32]   // 0xAARRGGBB

    init(_ png: [UInt8]) throws {
        final class Source { var bytes: [UInt8]; var offset = 0; init(_ b: [UInt8]) { bytes = b } }
        let source = Source(png)
        let surface = cairo_image_surface_create_from_png_stream({ closure, data, length in
            guard let closure, let data else { return CAIRO_STATUS_READ_ERROR }
            let s = Unmanaged<Source>.fromOpaque(closure).takeUnretainedValue()
            guard s.offset + Int(length) <= s.bytes.count else { return CAIRO_STATUS_READ_ERROR }
            for i in 0..<Int(length) { data[i] = s.bytes[s.offset + i] }
            s.offset += Int(length)
            return CAIRO_STATUS_SUCCESS
        }, Unmanaged.passUnretained(source).toOpaque())
        defer { cairo_surface_destroy(surface) }
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS, let base = cairo_image_surface_get_data(surface) else {
            throw RenderError("not a PNG")
        }
        width = Int(cairo_image_surface_get_width(surface))
        height = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        var pixels: [UInt32] = []
        for y in 0..<height {
            let row = UnsafeRawPointer(base + y * stride).assumingMemoryBound(to: UInt32.self)
            pixels += UnsafeBufferPointer(start: row, count: width)
        }
        self.pixels = pixels
    }

    func pixel(_ x: Int, _ y: Int) -> (r: Int, g: Int, b: Int) {
        let p = pixels[y * width + x]
        return (Int((p >> 16) & 0xFF), Int((p >> 8) & 0xFF), Int(p & 0xFF))
    }

    /// Pixels in a region (PNG pixel coordinates) close to a colour.
    func count(near colour: Colour, in xs: Range<Int>, _ ys: Range<Int>, tolerance: Int = 40) -> Int {
        let (r, g, b) = (Int(colour.r * 255), Int(colour.g * 255), Int(colour.b * 255))
        var n = 0
        for y in ys.clamped(to: 0..<height) {
            for x in xs.clamped(to: 0..<width) {
                let p = pixel(x, y)
                if abs(p.r - r) + abs(p.g - g) + abs(p.b - b) <= tolerance { n += 1 }
            }
        }
        return n
    }

    /// Pixels that are neither white nor near-white (ink).
    func ink(in xs: Range<Int>, _ ys: Range<Int>) -> Int {
        var n = 0
        for y in ys.clamped(to: 0..<height) {
            for x in xs.clamped(to: 0..<width) {
                let p = pixel(x, y)
                if p.r + p.g + p.b < 600 { n += 1 }
            }
        }
        return n
    }
}

/// Where the gallery's PNGs go, so that a person can look at them.
let galleryDirectory: URL = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/rendering-gallery")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}()

func save(_ image: RenderedImage, _ name: String) {
    try? Data(image.bytes).write(to: galleryDirectory.appendingPathComponent(name + ".png"))
}

@Suite final class ChartTests {
    func history() -> Figure {
        let epochs = (1...20).map(Double.init)
        let train = epochs.map { 1.2 * exp(-$0 / 6) + 0.05 }
        let validation = epochs.map { 1.1 * exp(-$0 / 5) + 0.15 + 0.004 * max(0, $0 - 12) * ($0 - 12) }
        return .row([
            .line(LineChart(title: "Loss", xLabel: "epoch", yLabel: "loss",
                            series: [LineSeries(name: "training", x: epochs, y: train), LineSeries(name: "validation", x: epochs, y: validation)],
                            markers: [VerticalMarker(x: 12, label: "best epoch")])),
            .line(LineChart(title: "Accuracy", xLabel: "epoch", yLabel: "accuracy",
                            series: [LineSeries(name: "training", x: epochs, y: train.map { 1 - $0 / 1.3 }),
                                     LineSeries(name: "validation", x: epochs, y: validation.map { 1 - $0 / 1.3 })],
                            yRange: 0...1)),
        ])
    }

    @Test func lineChartsSideBySideAreDrawnAtTwiceTheirDisplaySize() throws {
        let image = try history().render()
        save(image, "history")
        #expect(image.width == 920)
        #expect(image.height == 320)
        let png = try Decoded(image.bytes)
        #expect(png.width == 1840)
        #expect(png.height == 640)
        #expect((image.display.metadata["image/png"]) == (["width": 920, "height": 320]))
        #expect(image.display.data["text/plain"]!.contains("Loss — training 0.09281 at epoch 20; validation"), "\(image.summary)")
        // Both panels have ink in their plot areas, the training series in the first colour.
        #expect((png.ink(in: 200..<880, 100..<520)) > 2000)
        #expect((png.ink(in: 1120..<1800, 100..<520)) > 2000)
        #expect((png.count(near: Palette.colour(0), in: 0..<920, 0..<640)) > 500)
        #expect((png.count(near: Palette.colour(1), in: 0..<920, 0..<640)) > 500)
        // The training loss starts high: the first point is in the top part of the plot,
        // the last one low (y grows downwards).
        let firstColumn = (90..<140).map { y in png.count(near: Palette.colour(0), in: 100..<200, (2 * y)..<(2 * y + 2)) }
        #expect((firstColumn.reduce(0, +)) > 0, "the first training point is near the top")
        #expect((png.count(near: Palette.colour(0), in: 820..<900, 440..<560)) > 0, "the last training point is near the bottom")
        // Title text is drawn centred above the first plot.
        #expect((png.ink(in: 400..<520, 20..<56)) > 50)
        #expect((png.ink(in: 0..<80, 0..<20)) == 0, "the corner stays blank")
    }

    @Test func ticksAreRoundNumbers() {
        let t = Ticks(low: 0.0713, high: 1.187)
        #expect(t.values.map(t.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0", "1.2"])
        let e = Ticks(low: 1, high: 20, integers: true)
        #expect(e.values.map(e.label) == ["0", "5", "10", "15", "20"])
        let fixed = Ticks(low: 0, high: 1, fixed: true)
        #expect(fixed.values.map(fixed.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect((Ticks(low: 0, high: 250_000).values.map(Ticks(low: 0, high: 250_000).label)) == ["0", "50k", "100k", "150k", "200k", "250k"])
        #expect((Ticks(low: 3, high: 3).values.count) >= 3, "a flat series still gets an axis")
        // Lesson 1's bars with room for their legend: a step of 25 needs no decimals, one of 2.5 needs one.
        let quarters = Ticks(low: 0, high: 124.4)
        #expect(quarters.values.map(quarters.label) == ["0", "25", "50", "75", "100", "125"])
        let tenths = Ticks(low: 0, high: 12.44)
        #expect(tenths.values.map(tenths.label) == ["0.0", "2.5", "5.0", "7.5", "10.0", "12.5"])
        // Any range: between 3 and 12 ticks, evenly spaced by 1, 2, 2.5 or 5 × 10^k, covering the data.
        var r = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let a = Double.random(in: -1e4...1e4, using: &r), b = a + Double.random(in: 1e-3...1e5, using: &r)
            let t = Ticks(low: a, high: b)
            #expect((3...12).contains(t.values.count), "\(a)…\(b): \(t.values)")
            #expect(t.low <= a)
            #expect(t.high >= b)
            let mantissa = t.step / pow(10, floor(log10(t.step)))
            #expect([1, 2, 2.5, 5].contains { abs($0 - mantissa) < 1e-6 }, "step \(t.step)")
        }
    }

    @Test func scatterWithCurvesAndHeldOutMarkers() throws {
        let xs = stride(from: 0.0, through: 1, by: 0.1).map { $0 }
        let curveX = stride(from: 0.0, through: 1, by: 0.01).map { $0 }
        let figure = Figure.scatter(ScatterChart(
            title: "Degree 1, 3 and 9", xLabel: "x", yLabel: "y",
            points: [PointSeries(name: "training", x: xs, y: xs.map { sin(6 * $0) }),
                     PointSeries(name: "held out", x: xs.map { $0 + 0.05 }, y: xs.map { sin(6 * $0 + 0.3) }, marker: .triangle, hollow: true)],
            curves: [LineSeries(name: "degree 9", x: curveX, y: curveX.map { sin(6 * $0) + 40 * pow($0 - 0.5, 9) * 300 })],
            yRange: -1.5...1.5))
        let image = try figure.render()
        save(image, "scatter")
        let png = try Decoded(image.bytes)
        #expect((png.count(near: Palette.colour(0), in: 0..<920, 0..<640)) > 200, "training points")
        #expect((png.count(near: Palette.colour(1), in: 0..<920, 0..<640)) > 100, "held-out points")
        #expect((png.count(near: Palette.colour(2), in: 0..<920, 0..<640)) > 200, "the curve")
        // The wild curve is clipped to the plot area: no curve colour in the title band.
        #expect((png.count(near: Palette.colour(2), in: 0..<920, 0..<60)) == 0)
    }

    @Test func groupedBars() throws {
        let figure = Figure.bar(BarChart(title: "Images per class", xLabel: "species", yLabel: "images",
                                         categories: ["cod", "eel", "pike"],
                                         series: [("training", [70, 42, 56]), ("validation", [15, 9, 12]), ("test", [15, 9, 12])]))
        let image = try figure.render()
        save(image, "bars")
        let png = try Decoded(image.bytes)
        // The tallest bar (cod, training, 70) reaches near the top of the plot; its colour fills a block.
        #expect((png.count(near: Palette.colour(0), in: 0..<920, 0..<640)) > 3000)
        #expect((png.count(near: Palette.colour(1), in: 0..<920, 0..<640)) > 300)
        #expect(image.summary.contains("training: cod 70, eel 42, pike 56"))
    }

    @Test func confusionHeatmapTextIsReadableOnDarkAndLightCells() throws {
        let m = Heatmap(title: "Confusion matrix", rowNames: ["cod", "eel", "pike"], columnNames: ["cod", "eel", "pike"],
                        values: [[40, 2, 0], [3, 30, 5], [0, 1, 44]])
        let image = try Figure.heatmap(m).render()
        save(image, "confusion")
        let png = try Decoded(image.bytes)
        // The top-left cell (40, dark) holds white text; the top-middle cell (2, pale) dark text.
        let cell = 56 * 2, left = 124 * 2, top = 58 * 2
        let dark = (left + 8)..<(left + cell - 8), darkRows = (top + 8)..<(top + cell - 8)
        #expect((png.count(near: .white, in: dark, darkRows, tolerance: 30)) > 20)
        #expect((png.count(near: Palette.sequential(40.0 / 44), in: dark, darkRows, tolerance: 30)) > 1000)
        let pale = (left + cell + 8)..<(left + 2 * cell - 8)
        #expect((png.ink(in: pale, darkRows)) > 20)
        #expect((png.count(near: .white, in: pale, darkRows, tolerance: 6)) == 0, "a pale cell has no white text")
    }

    @Test func imageGridWithFramesAndCaptions() throws {
        func tile(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> [UInt8] { (0..<(40 * 30)).flatMap { _ in [r, g, b] } }
        let images = [GridImage(width: 40, height: 30, rgb: tile(200, 30, 30), caption: "cod / cod", frame: .right),
                      GridImage(width: 40, height: 30, rgb: tile(30, 30, 200), caption: "eel / pike", frame: .wrong),
                      GridImage(width: 40, height: 30, rgb: tile(30, 160, 30), caption: "pike / pike", frame: .right)]
        let figure = Figure.grid(ImageGrid(title: "Predictions", images: images, columns: 2, cellSize: 100))
        let image = try figure.render()
        save(image, "grid")
        #expect(image.width == (2 * 112 + 12))
        #expect(image.height == (2 * 134 + 38))
        let png = try Decoded(image.bytes)
        // The first picture fills the middle of its cell (kept in proportion: 100×75).
        let centre = png.pixel(2 * (12 + 50), 2 * (38 + 50))
        #expect(abs(centre.r - 200) <= 2)
        #expect(abs(centre.g - 30) <= 2)
        // Frames: green-ish around the first, the "wrong" colour around the second.
        #expect((png.count(near: .right, in: 0..<240, 60..<320, tolerance: 30)) > 200)
        #expect((png.count(near: .wrong, in: 240..<480, 60..<320, tolerance: 30)) > 200)
        // Captions are drawn below the pictures.
        #expect((png.ink(in: 24..<224, 2 * (38 + 100 + 4)..<2 * (38 + 100 + 22))) > 40)
        #expect(image.summary.contains("eel / pike"))
        #expect(throws: (any Error).self) { try Figure.grid(ImageGrid(images: [GridImage(width: 4, height: 4, rgb: [1, 2, 3])])).render() }
    }
}

@Suite final class TableTests {
    @Test func htmlAndTextTwins() {
        let t = Table(caption: "Dataset <fish>", columns: [.init("class"), .init("images", .right)],
                      rows: [["cod", "1,024"], ["eel & co", "7"]], footer: ["total", "1,031"], highlighted: [1])
        #expect(t.html == ("<table class=\"shoal-table\"><caption style=\"text-align: left; font-weight: bold\">Dataset &lt;fish&gt;</caption>"
            + "<thead><tr><th style=\"text-align: left\">class</th><th style=\"text-align: right\">images</th></tr></thead><tbody>"
            + "<tr><td style=\"text-align: left\">cod</td><td style=\"text-align: right\">1,024</td></tr>"
            + "<tr><td style=\"text-align: left\"><b>eel &amp; co</b></td><td style=\"text-align: right\"><b>7</b></td></tr></tbody>"
            + "<tfoot><tr><td style=\"text-align: left\"><b>total</b></td><td style=\"text-align: right\"><b>1,031</b></td></tr></tfoot></table>"))
        #expect(t.plainText == ("""
            Dataset <fish>
            class     images
            ────────  ──────
            cod        1,024
            eel & co       7  ←
            ────────  ──────
            total      1,031
            """))
        // A right-aligned first column keeps its padding, so "9/12" stands above "10/12".
        let epochs = Table(columns: [.init("epoch", .right), .init("loss", .right)], rows: [["9/12", "0.5"], ["10/12", "0.25"]])
        #expect(epochs.plainText == ("""
            epoch  loss
            ─────  ────
             9/12   0.5
            10/12  0.25
            """))
    }

    @Test func numbers() {
        #expect(NumberText.count(1234567) == "1,234,567")
        #expect(NumberText.count(1, "epoch") == "1 epoch", "one of a thing is singular")
        #expect(NumberText.count(2000, "picture") == "2,000 pictures")
        #expect(NumberText.count(1, "species", plural: "species") == "1 species")
        #expect(NumberText.count(3, "species", plural: "species") == "3 species")
        #expect(NumberText.percent(0.9731) == ("97.3%"))
        #expect(NumberText.duration(0.25) == ("250 ms"))
        #expect(NumberText.duration(75) == ("1 min 15 s"))
        #expect(NumberText.decimal(.nan) == "nan")
    }

    @Test func trainingProgressShowsTableBarAndFinalState() {
        var p = TrainingProgress(totalEpochs: 3)
        p.epochs.append(.init(epoch: 1, trainingLoss: 0.9, trainingAccuracy: 0.6, validationLoss: 0.8, validationAccuracy: 0.65, seconds: 1.5))
        p.current = .init(epoch: 2, batch: 10, batches: 40, samplesPerSecond: 2345.4, secondsInEpoch: 2)
        #expect(p.html.contains("width: 25%"))
        #expect(p.statusLine == ("epoch 2/3 · batch 10/40 · 2,345 images/s · 6.0 s left in this epoch"))
        #expect(p.plainText.contains("[########......................]"), "\(p.plainText)")
        p.epochs.append(.init(epoch: 2, trainingLoss: 0.5, trainingAccuracy: 0.8, validationLoss: 0.6, validationAccuracy: 0.8, seconds: 1.4))
        p.epochs.append(.init(epoch: 3, trainingLoss: 0.3, trainingAccuracy: 0.9, validationLoss: 0.7, validationAccuracy: 0.78, seconds: 1.4))
        p.finishedNote = "3 epochs in 4.3 s · best epoch 2"
        #expect(!(p.html.contains("width: 25%")))
        #expect(p.table.rows.count == 3)
        #expect(p.table.highlighted == [1], "the best epoch is marked once training ends")
        #expect(p.plainText.hasSuffix("3 epochs in 4.3 s · best epoch 2"))
        #expect((TrainingProgress.terminalLine(p.epochs[0], of: 3)) == ("epoch 1/3: loss 0.9000, accuracy 60.0%, validation loss 0.8000, validation accuracy 65.0% (1.5 s)"))
    }

    @Test func throttle() {
        var t = Throttle(interval: 0.25)
        let answers = [t.ready(now: 10), t.ready(now: 10.1), t.ready(now: 10.3)]
        #expect(answers == [true, false, true])
    }
}
