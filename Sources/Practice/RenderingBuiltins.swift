import CellIO
import CellLanguage
import Foundation
import KernelMemory
import Rendering

/// A chart, image grid or several side by side: shown when it is a cell's
/// last value or passed to `display` (a chart as PNG, photographs as JPEG),
/// saved as PNG.
public final class ChartObject: HostObject {
    public let figure: Figure
    private var rendered: RenderedImage?
    private var shown: RenderedImage?

    public init(_ figure: Figure) { self.figure = figure }

    public var typeName: String { "Chart" }
    public var textDescription: String { figure.summary }

    public func image() throws -> RenderedImage {
        if let rendered { return rendered }
        let image = try figure.render()
        rendered = image
        return image
    }

    /// The picture a notebook shows: the PNG itself for a chart, a JPEG for photographs.
    public func shownImage() throws -> RenderedImage {
        if figure.displayFormat == .png { return try image() }
        if let shown { return shown }
        let image = try figure.render(as: figure.displayFormat)
        shown = image
        return image
    }

    public func display() -> Display? {
        guard let image = try? shownImage() else { return .text(figure.summary + " (the chart could not be drawn)") }
        return image.display
    }
}

/// A table: HTML in notebooks, aligned text in consoles.
public final class TableObject: HostObject {
    public let table: Table
    public init(_ table: Table) { self.table = table }
    public var typeName: String { "Table" }
    public var textDescription: String { table.plainText }
    public func display() -> Display? { table.display }
}

/// Cell values as the plain arrays Rendering takes.
enum Convert {
    static func doubles(_ v: Value, _ what: String) throws -> [Double] {
        guard case .array(let items) = v else { throw CellError.type("\(what) must be an array of numbers, not '\(v.typeName)'") }
        return try items.map { item in
            switch item {
            case .int(let i): return Double(i)
            case .double(let d): return d
            default: throw CellError.type("\(what) must hold numbers, not '\(item.typeName)'")
            }
        }
    }

    static func strings(_ v: Value, _ what: String) throws -> [String] {
        guard case .array(let items) = v else { throw CellError.type("\(what) must be an array of strings, not '\(v.typeName)'") }
        return items.map { if case .string(let s) = $0 { return s } else { return $0.description } }
    }

    /// A dictionary of name → numbers, in the order it was written.
    static func namedSeries(_ v: Value, _ what: String) throws -> [(String, [Double])] {
        guard case .dictionary(let d) = v else {
            throw CellError.type("\(what) must be a dictionary of names to numbers, like [\"training\": [0.9, 0.5]], not '\(v.typeName)'")
        }
        return try zip(d.keys, d.values).map { key, value in
            let name: String
            if case .string(let s) = key { name = s } else { name = key.description }
            return (name, try doubles(value, "\(what)[\"\(name)\"]"))
        }
    }

    /// The `x:` and `y:` arguments: numbers of equal count.
    static func points(_ xs: Value, _ ys: Value) throws -> (x: [Double], y: [Double]) {
        let x = try doubles(xs, "x"), y = try doubles(ys, "y")
        guard x.count == y.count else { throw CellError.value("x has \(x.count) values but y has \(y.count)") }
        return (x, y)
    }

    /// The scatter chart a `with…` method extends.
    static func scatter(_ chart: ChartObject, _ method: String) throws -> ScatterChart {
        guard case .scatter(let s) = chart.figure else { throw CellError.value("\(method) works on a scatterChart") }
        return s
    }

}

extension PracticeBuiltins {
    static func registerRendering(in r: BuiltinRegistry) {
        r.addType("Chart", doc: "A chart or picture grid, shown as an image in the notebook.")
        r.addType("Table", doc: "A table, shown as HTML in the notebook and as aligned text in a terminal.")

        r.addMethod(on: "Chart", "save(_ path: String)",
                    doc: "Saves the picture as a PNG file (for a report or a slide), at twice its display size.",
                    example: "fish.show(12).save(\"fish.png\")", receiver: ChartObject.self, options: PathArgument.self) { chart, o, rt in
            let path = o.path
            guard path.lowercased().hasSuffix(".png") else { throw CellError.value("charts are saved as PNG: give a path ending in .png, not \(path)") }
            let url = try PracticeBuiltins.allowedPath(path, rt)
            let png = try chart.image().bytes
            do {
                try Data(png).write(to: url, options: .atomic)
            } catch {
                throw CellError(.fileError, "cannot write \(path): \(error.localizedDescription)")
            }
            rt.output.write("saved \(path)\n", to: .stdout)
            return .void
        }
        struct Lines: Decodable { var series: Value, title: String, xLabel: String, yLabel: String, markerAt: Int?, markerLabel: String }
        r.addFunction("lineChart(_ series: [String: [Double]], title: String = \"\", xLabel: String = \"epoch\", yLabel: String = \"\", markerAt: Int? = nil, markerLabel: String = \"\") -> Chart",
                      doc: "Lines of values against 1, 2, 3, … (one line per name), with an optional dashed marker such as the best epoch.",
                      example: "lineChart([\"training\": [0.9, 0.5, 0.3], \"validation\": [0.95, 0.6, 0.5]], title: \"Loss\", yLabel: \"loss\", markerAt: 3, markerLabel: \"best epoch\")", options: Lines.self) { o, _ in
            let series = try Convert.namedSeries(o.series, "the series").map { name, ys in
                LineSeries(name: name, x: ys.indices.map { Double($0 + 1) }, y: ys)
            }
            var markers: [VerticalMarker] = []
            if let x = o.markerAt { markers.append(VerticalMarker(x: Double(x), label: o.markerLabel)) }
            return .object(ChartObject(.line(LineChart(title: o.title, xLabel: o.xLabel, yLabel: o.yLabel,
                                                        series: series, markers: markers))))
        }

        struct Scatter: Decodable { var x: Value, y: Value, title: String, xLabel: String, yLabel: String, name: String }
        r.addFunction("scatterChart(x: [Double], y: [Double], title: String = \"\", xLabel: String = \"x\", yLabel: String = \"y\", name: String = \"points\") -> Chart",
                      doc: "Points at (x, y). Add held-out points with .withPoints and fitted curves with .withCurve.",
                      example: "scatterChart(x: [0, 1, 2], y: [1, 3, 2], name: \"training\").withCurve(x: [0, 1, 2], y: [1.5, 2, 2.5], name: \"degree 1\")", options: Scatter.self) { o, _ in
            let (x, y) = try Convert.points(o.x, o.y)
            return .object(ChartObject(.scatter(ScatterChart(title: o.title, xLabel: o.xLabel, yLabel: o.yLabel,
                                                              points: [PointSeries(name: o.name, x: x, y: y)]))))
        }
        struct Series: Decodable { var x: Value, y: Value, name: String }
        r.addMethod(on: "Chart", "withPoints(x: [Double], y: [Double], name: String = \"held out\") -> Chart",
                    doc: "The same scatter chart with more points, drawn as hollow triangles.",
                    example: "chart.withPoints(x: testX, y: testY, name: \"held out\")", receiver: ChartObject.self, options: Series.self) { c, o, _ in
            var s = try Convert.scatter(c, "withPoints")
            let (x, y) = try Convert.points(o.x, o.y)
            let shapes: [PointMarker] = [.triangle, .square, .diamond]
            s.points.append(PointSeries(name: o.name, x: x, y: y, marker: shapes[(s.points.count - 1) % shapes.count], hollow: true))
            return .object(ChartObject(.scatter(s)))
        }
        r.addMethod(on: "Chart", "withCurve(x: [Double], y: [Double], name: String) -> Chart",
                    doc: "The same scatter chart with a curve through (x, y), clipped to the chart.",
                    example: "chart.withCurve(x: xs, y: fitted, name: \"degree 9\")", receiver: ChartObject.self, options: Series.self) { c, o, _ in
            var s = try Convert.scatter(c, "withCurve")
            let (x, y) = try Convert.points(o.x, o.y)
            // The axis stays on the data (`scatterRange`): a wild curve is clipped rather than squashing the points.
            s.curves.append(LineSeries(name: o.name, x: x, y: y))
            return .object(ChartObject(.scatter(s)))
        }

        struct Bars: Decodable { var series: Value, categories: Value, title: String, xLabel: String, yLabel: String }
        r.addFunction("barChart(_ series: [String: [Double]], categories: [String], title: String = \"\", xLabel: String = \"\", yLabel: String = \"\") -> Chart",
                      doc: "Grouped bars: one group per category, one bar per name (class counts per split).",
                      example: "barChart([\"training\": [70, 42], \"test\": [15, 9]], categories: [\"cod\", \"eel\"], title: \"Images per class\")", options: Bars.self) { o, _ in
            let categories = try Convert.strings(o.categories, "categories")
            let series = try Convert.namedSeries(o.series, "the series")
            for (name, values) in series where values.count != categories.count {
                throw CellError.value("\"\(name)\" has \(values.count) values for \(categories.count) categories")
            }
            return .object(ChartObject(.bar(BarChart(title: o.title, xLabel: o.xLabel, yLabel: o.yLabel,
                                                      categories: categories, series: series.map { (name: $0.0, values: $0.1) }))))
        }

        struct Cells: Decodable { var values: [[Double]], names: [String], title: String, fractions: Bool }
        r.addFunction("heatmap(_ values: [[Double]], names: [String], title: String = \"Confusion matrix\", fractions: Bool = false) -> Chart",
                      doc: "A square matrix as coloured cells with the values written in them (rows actual, columns predicted).",
                      example: "heatmap([[40, 2], [3, 30]], names: [\"cod\", \"eel\"])", options: Cells.self) { o, _ in
            let values = o.values
            let names = o.names
            guard names.count <= 100 else { throw CellError.value("a heatmap shows at most 100 classes") }
            guard values.count == names.count, values.allSatisfy({ $0.count == names.count }) else {
                throw CellError.value("a heatmap of \(names.count) names needs \(names.count) rows of \(names.count) values")
            }
            return .object(ChartObject(.heatmap(Heatmap(title: o.title, rowNames: names, columnNames: names,
                                                         values: values, fractions: o.fractions))))
        }

        struct Grid: Decodable {
            var pixels: [[Double]], width: Int, height: Int, captions: [String], correct: [Bool], columns: Int, title: String
        }
        r.addFunction("imageGrid(_ pixels: [[Int]], width: Int, height: Int, captions: [String] = [], correct: [Bool] = [], columns: Int = 5, title: String = \"\") -> Chart",
                      doc: "Pictures (each width × height RGB values 0–255, row by row) in a grid with captions; with `correct`, right ones framed green and wrong ones in dashed red.",
                      example: "imageGrid([redSquare, blueSquare], width: 8, height: 8, captions: [\"cod\", \"eel\"])", options: Grid.self) { o, _ in
            let (list, w, h) = (o.pixels, o.width, o.height)
            guard w > 0, h > 0, w * h <= 4_000_000 else { throw CellError.value("width and height must be positive (and not huge)") }
            let (captions, flags) = (o.captions, o.correct)
            try MemoryBudget.charge(list.count * w * h * 3)
            let images = try list.enumerated().map { i, values -> GridImage in
                guard values.count == w * h * 3 else {
                    throw CellError.value("image \(i + 1) has \(values.count) values; a \(w)×\(h) RGB picture needs \(w * h * 3)")
                }
                var frame = GridImage.Frame.none
                if i < flags.count { frame = flags[i] ? .right : .wrong }
                return GridImage(width: w, height: h, rgb: values.map { $0.isFinite ? UInt8(max(0, min(255, $0.rounded()))) : 0 },
                                 caption: i < captions.count ? captions[i] : "", frame: frame)
            }
            guard !images.isEmpty, images.count <= 400 else { throw CellError.value("imageGrid shows 1 to 400 pictures") }
            return .object(ChartObject(.grid(ImageGrid(title: o.title, images: images, columns: max(1, o.columns)))))
        }

        struct Charts: Decodable { var charts: [HostArgument<ChartObject>] }
        r.addFunction("sideBySide(_ charts: Chart...) -> Chart",
                      doc: "Charts next to each other in one picture (loss and accuracy, say).",
                      example: "sideBySide(lossChart, accuracyChart)", options: Charts.self) { o, _ in
            let charts = o.charts.map { $0.object.figure }
            guard !charts.isEmpty else { throw CellError.value("sideBySide needs at least one chart") }
            return .object(ChartObject(.row(charts)))
        }

        /// Text a learner formatted from a number ("61.1%", "0.105", "1,024", "-1.4"), which stands right-aligned like one.
        func looksLikeANumber(_ s: String) -> Bool {
            var t = s.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "")
            if t.hasSuffix("%") { t.removeLast() }
            return !t.isEmpty && Double(t) != nil
        }
        struct Rows: Decodable { var rows: [Value], columns: [String], caption: String }
        r.addFunction("table(_ rows: [[Any]], columns: [String], caption: String = \"\") -> Table",
                      doc: "A table with a header row; numbers (and text such as \"61.1%\" made from them) are right-aligned.",
                      example: "table([[\"cod\", 70], [\"eel\", 42]], columns: [\"species\", \"images\"], caption: \"Training set\")", options: Rows.self) { o, _ in
            let (titles, rowValues) = (o.columns, o.rows)
            var numeric = [Bool](repeating: true, count: titles.count)
            let rows = try rowValues.enumerated().map { r, row -> [String] in
                guard case .array(let cells) = row else { throw CellError.type("row \(r + 1) must be an array") }
                guard cells.count == titles.count else {
                    throw CellError.value("row \(r + 1) has \(cells.count) values for \(titles.count) columns")
                }
                return cells.enumerated().map { c, cell in
                    switch cell {
                    case .int(let i): return NumberText.count(i)
                    case .double(let d): return String(format: "%.4g", d)
                    case .string(let s): numeric[c] = numeric[c] && looksLikeANumber(s); return s
                    default: numeric[c] = false; return cell.description
                    }
                }
            }
            let columns = titles.enumerated().map { Table.Column($1, numeric[$0] && !rows.isEmpty ? .right : .left) }
            return .object(TableObject(Table(caption: o.caption, columns: columns, rows: rows)))
        }
    }
}
