import CellIO
import CellLanguage
import Foundation
import Rendering

/// A chart, image grid or several side by side: shown as a PNG when it is a
/// cell's last value or passed to `display`.
public final class ChartObject: HostObject {
    public let figure: Figure
    private var rendered: RenderedImage?

    public init(_ figure: Figure) { self.figure = figure }

    public var typeName: String { "Chart" }
    public var textDescription: String { figure.summary }

    public func image() throws -> RenderedImage {
        if let rendered { return rendered }
        let image = try figure.render()
        rendered = image
        return image
    }

    public func display() -> Display? {
        guard let image = try? image() else { return .text(figure.summary + " (the chart could not be drawn)") }
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

    /// The `x:` and `y:` arguments (the first two): numbers of equal count.
    static func points(_ a: Arguments) throws -> (x: [Double], y: [Double]) {
        let x = try doubles(a[0], "x"), y = try doubles(a[1], "y")
        guard x.count == y.count else { throw CellError.value("x has \(x.count) values but y has \(y.count)") }
        return (x, y)
    }

    /// The scatter chart a `with…` method extends.
    static func scatter(_ v: Value, _ method: String) throws -> ScatterChart {
        guard case .scatter(let s) = try chart(v).figure else { throw CellError.value("\(method) works on a scatterChart") }
        return s
    }

    static func chart(_ v: Value) throws -> ChartObject {
        guard case .object(let o) = v, let chart = o as? ChartObject else {
            throw CellError.type("expected a Chart, not '\(v.typeName)'")
        }
        return chart
    }
}

extension PracticeBuiltins {
    static func registerRendering(in r: BuiltinRegistry) {
        r.addType("Chart", doc: "A chart or picture grid, shown as an image in the notebook.")
        r.addType("Table", doc: "A table, shown as HTML in the notebook and as aligned text in a terminal.")

        r.addMethod(on: "Chart", "save(_ path: String)",
                    doc: "Saves the picture as a PNG file (for a report or a slide), at twice its display size.",
                    example: "fish.show(12).save(\"fish.png\")", receiver: ChartObject.self) { chart, a, rt in
            let path = try a.string(0)
            guard path.lowercased().hasSuffix(".png") else { throw CellError.value("charts are saved as PNG: give a path ending in .png, not \(path)") }
            let url = try PracticeBuiltins.allowedPath(path, rt)
            let png = try chart.image().png
            do {
                try Data(png).write(to: url, options: .atomic)
            } catch {
                throw CellError(.fileError, "cannot write \(path): \(error.localizedDescription)")
            }
            rt.output.write("saved \(path)\n", to: .stdout)
            return .void
        }
        r.addFunction("lineChart(_ series: [String: [Double]], title: String = \"\", xLabel: String = \"epoch\", yLabel: String = \"\", markerAt: Int? = nil, markerLabel: String = \"\") -> Chart",
                      doc: "Lines of values against 1, 2, 3, … (one line per name), with an optional dashed marker such as the best epoch.",
                      example: "lineChart([\"training\": [0.9, 0.5, 0.3], \"validation\": [0.95, 0.6, 0.5]], title: \"Loss\", yLabel: \"loss\", markerAt: 3, markerLabel: \"best epoch\")") { a, _ in
            let series = try Convert.namedSeries(a[0], "the series").map { name, ys in
                LineSeries(name: name, x: ys.indices.map { Double($0 + 1) }, y: ys)
            }
            var markers: [VerticalMarker] = []
            if let at = a.optional(4) {
                guard case .int(let x) = at else { throw a.mismatch(4, expected: "Int") }
                markers.append(VerticalMarker(x: Double(x), label: try a.string(5)))
            }
            return .object(ChartObject(.line(LineChart(title: try a.string(1), xLabel: try a.string(2), yLabel: try a.string(3),
                                                        series: series, markers: markers))))
        }

        r.addFunction("scatterChart(x: [Double], y: [Double], title: String = \"\", xLabel: String = \"x\", yLabel: String = \"y\", name: String = \"points\") -> Chart",
                      doc: "Points at (x, y). Add held-out points with .withPoints and fitted curves with .withCurve.",
                      example: "scatterChart(x: [0, 1, 2], y: [1, 3, 2], name: \"training\").withCurve(x: [0, 1, 2], y: [1.5, 2, 2.5], name: \"degree 1\")") { a, _ in
            let (x, y) = try Convert.points(a)
            return .object(ChartObject(.scatter(ScatterChart(title: try a.string(2), xLabel: try a.string(3), yLabel: try a.string(4),
                                                              points: [PointSeries(name: try a.string(5), x: x, y: y)]))))
        }
        r.addMethod(on: "Chart", "withPoints(x: [Double], y: [Double], name: String = \"held out\") -> Chart",
                    doc: "The same scatter chart with more points, drawn as hollow triangles.",
                    example: "chart.withPoints(x: testX, y: testY, name: \"held out\")") { v, a, _ in
            var s = try Convert.scatter(v, "withPoints")
            let (x, y) = try Convert.points(a)
            let shapes: [PointMarker] = [.triangle, .square, .diamond]
            s.points.append(PointSeries(name: try a.string(2), x: x, y: y, marker: shapes[(s.points.count - 1) % shapes.count], hollow: true))
            return .object(ChartObject(.scatter(s)))
        }
        r.addMethod(on: "Chart", "withCurve(x: [Double], y: [Double], name: String) -> Chart",
                    doc: "The same scatter chart with a curve through (x, y), clipped to the chart.",
                    example: "chart.withCurve(x: xs, y: fitted, name: \"degree 9\")") { v, a, _ in
            var s = try Convert.scatter(v, "withCurve")
            let (x, y) = try Convert.points(a)
            if s.yRange == nil, let lo = s.points.flatMap(\.y).min(), let hi = s.points.flatMap(\.y).max() {
                // Keep the axis on the data: a wild curve is clipped rather than squashing the points.
                let pad = max((hi - lo) * 0.25, 1e-6)
                s.yRange = (lo - pad)...(hi + pad)
            }
            s.curves.append(LineSeries(name: try a.string(2), x: x, y: y))
            return .object(ChartObject(.scatter(s)))
        }

        r.addFunction("barChart(_ series: [String: [Double]], categories: [String], title: String = \"\", xLabel: String = \"\", yLabel: String = \"\") -> Chart",
                      doc: "Grouped bars: one group per category, one bar per name (class counts per split).",
                      example: "barChart([\"training\": [70, 42], \"test\": [15, 9]], categories: [\"cod\", \"eel\"], title: \"Images per class\")") { a, _ in
            let categories = try Convert.strings(a[1], "categories")
            let series = try Convert.namedSeries(a[0], "the series")
            for (name, values) in series where values.count != categories.count {
                throw CellError.value("\"\(name)\" has \(values.count) values for \(categories.count) categories")
            }
            return .object(ChartObject(.bar(BarChart(title: try a.string(2), xLabel: try a.string(3), yLabel: try a.string(4),
                                                      categories: categories, series: series.map { (name: $0.0, values: $0.1) }))))
        }

        r.addFunction("heatmap(_ values: [[Double]], names: [String], title: String = \"Confusion matrix\", fractions: Bool = false) -> Chart",
                      doc: "A square matrix as coloured cells with the values written in them (rows actual, columns predicted).",
                      example: "heatmap([[40, 2], [3, 30]], names: [\"cod\", \"eel\"])") { a, _ in
            guard case .array(let rows) = a[0] else { throw a.mismatch(0, expected: "[[Double]]") }
            let values = try rows.map { try Convert.doubles($0, "each row") }
            let names = try Convert.strings(a[1], "names")
            guard names.count <= 100 else { throw CellError.value("a heatmap shows at most 100 classes") }
            guard values.count == names.count, values.allSatisfy({ $0.count == names.count }) else {
                throw CellError.value("a heatmap of \(names.count) names needs \(names.count) rows of \(names.count) values")
            }
            return .object(ChartObject(.heatmap(Heatmap(title: try a.string(2), rowNames: names, columnNames: names,
                                                         values: values, fractions: try a.bool(3)))))
        }

        r.addFunction("imageGrid(_ pixels: [[Int]], width: Int, height: Int, captions: [String] = [], correct: [Bool] = [], columns: Int = 5, title: String = \"\") -> Chart",
                      doc: "Pictures (each width × height RGB values 0–255, row by row) in a grid with captions; with `correct`, right ones framed green and wrong ones in dashed red.",
                      example: "imageGrid([redSquare, blueSquare], width: 8, height: 8, captions: [\"cod\", \"eel\"])") { a, _ in
            guard case .array(let list) = a[0] else { throw a.mismatch(0, expected: "[[Int]]") }
            let (w, h) = (try a.int(1), try a.int(2))
            guard w > 0, h > 0, w * h <= 4_000_000 else { throw CellError.value("width and height must be positive (and not huge)") }
            let captions = try Convert.strings(a[3], "captions")
            guard case .array(let flags) = a[4] else { throw a.mismatch(4, expected: "[Bool]") }
            let images = try list.enumerated().map { i, item -> GridImage in
                let values = try Convert.doubles(item, "image \(i + 1)")
                guard values.count == w * h * 3 else {
                    throw CellError.value("image \(i + 1) has \(values.count) values; a \(w)×\(h) RGB picture needs \(w * h * 3)")
                }
                var frame = GridImage.Frame.none
                if i < flags.count, case .bool(let ok) = flags[i] { frame = ok ? .right : .wrong }
                return GridImage(width: w, height: h, rgb: values.map { $0.isFinite ? UInt8(max(0, min(255, $0.rounded()))) : 0 },
                                 caption: i < captions.count ? captions[i] : "", frame: frame)
            }
            guard !images.isEmpty, images.count <= 400 else { throw CellError.value("imageGrid shows 1 to 400 pictures") }
            return .object(ChartObject(.grid(ImageGrid(title: try a.string(6), images: images, columns: max(1, try a.int(5))))))
        }

        r.addFunction("sideBySide(_ charts: Chart...) -> Chart",
                      doc: "Charts next to each other in one picture (loss and accuracy, say).",
                      example: "sideBySide(lossChart, accuracyChart)") { a, _ in
            let charts = try a.array(0).map { try Convert.chart($0).figure }
            guard !charts.isEmpty else { throw CellError.value("sideBySide needs at least one chart") }
            return .object(ChartObject(.row(charts)))
        }

        r.addFunction("table(_ rows: [[Any]], columns: [String], caption: String = \"\") -> Table",
                      doc: "A table with a header row; numbers are right-aligned.",
                      example: "table([[\"cod\", 70], [\"eel\", 42]], columns: [\"species\", \"images\"], caption: \"Training set\")") { a, _ in
            let titles = try Convert.strings(a[1], "columns")
            guard case .array(let rowValues) = a[0] else { throw a.mismatch(0, expected: "[[Any]]") }
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
                    case .string(let s): numeric[c] = false; return s
                    default: numeric[c] = false; return cell.description
                    }
                }
            }
            let columns = titles.enumerated().map { Table.Column($1, numeric[$0] && !rows.isEmpty ? .right : .left) }
            return .object(TableObject(Table(caption: try a.string(2), columns: columns, rows: rows)))
        }
    }
}
