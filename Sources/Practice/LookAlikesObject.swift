import CellIO
import CellLanguage
import Datasets
import Foundation
import Rendering
import TrainingEngine

/// Pairs of look-alike pictures (copies, mirror images, turns, resized or
/// re-encoded copies, small crops) within a dataset, across the parts of a
/// split or in a folder: shown as a table of the pairs and a grid of them
/// side by side.
public final class LookAlikesObject: HostObject {
    /// One picture of a pair: where it is and how to draw it.
    struct Picture {
        var part: String?
        var name: String
        /// Two short lines for the grid.
        var caption: String
        var size: FolderScan.PixelSize?
        var image: () throws -> RGBImage
    }

    struct Row {
        var first: Picture
        var second: Picture
        var pair: LookAlikePair
    }

    /// "across training, validation and test", "in fish", "in my-photos".
    let scope: String
    let rows: [Row]
    let compared: Int
    let threshold: Double
    let skipped: [ImageFolder.Skipped]
    private var rendered: RenderedImage?

    init(scope: String, rows: [Row], compared: Int, threshold: Double, skipped: [ImageFolder.Skipped] = []) {
        (self.scope, self.rows, self.compared, self.threshold, self.skipped) = (scope, rows, compared, threshold, skipped)
    }

    public var typeName: String { "LookAlikes" }
    public var count: Int { rows.count }

    var headline: String {
        let pictures = "\(NumberText.count(compared)) picture\(compared == 1 ? "" : "s") compared"
            + (skipped.isEmpty ? "" : ", \(NumberText.count(skipped.count)) unreadable skipped")
        guard !rows.isEmpty else { return "No look-alike pictures \(scope) (\(pictures))." }
        return "\(NumberText.count(rows.count)) look-alike pair\(rows.count == 1 ? "" : "s") \(scope) (\(pictures); difference: how far "
            + "the two are from identical once lined up, 0 for a copy; look-alikes at \(LookAlikes.describe(threshold)) or less)"
    }

    /// The pairs as a table: parts (or files), difference and transform.
    func table(limit: Int) -> Table {
        let parts = rows.contains { $0.first.part != nil }
        let sized = rows.contains { $0.first.size != nil }
        var columns: [Table.Column] = parts ? [.init("part"), .init("picture"), .init("part"), .init("look-alike")]
                                            : [.init(sized ? "file" : "picture"), .init(sized ? "look-alike file" : "look-alike")]
        columns += [.init("difference", .right), .init("transform")]
        if sized { columns.append(.init("sizes")) }
        let shown = rows.prefix(limit).map { row -> [String] in
            var cells = parts ? [row.first.part ?? "", row.first.name, row.second.part ?? "", row.second.name] : [row.first.name, row.second.name]
            cells += [LookAlikes.format(row.pair.difference), row.pair.transform.name]
            if sized, let a = row.first.size, let b = row.second.size { cells.append("\(a.width)×\(a.height) → \(b.width)×\(b.height)") }
            return cells
        }
        let footer = rows.count > limit ? ["… and \(NumberText.count(rows.count - limit)) more"] + Array(repeating: "", count: columns.count - 1) : nil
        return Table(caption: headline, columns: columns, rows: shown, footer: footer)
    }

    public var textDescription: String {
        var text = rows.isEmpty ? headline : table(limit: 20).plainText
        if !skipped.isEmpty {
            text += "\nCould not be read (skipped):\n" + skipped.prefix(20).map { "  \($0.path): \($0.reason)" }.joined(separator: "\n")
                + (skipped.count > 20 ? "\n  …" : "")
        }
        return text
    }

    /// Up to `count` pairs side by side, each labelled with its transform and difference.
    func figure(count: Int, columns: Int) -> Figure {
        let pairs = rows.prefix(max(0, count)).map { row -> PairGrid.Pair in
            func picture(_ p: Picture) -> GridImage {
                guard let image = try? p.image().shrunk(toFit: 240) else {
                    return GridImage(width: 1, height: 1, rgb: [200, 200, 200], caption: p.caption + " (unreadable)")
                }
                return GridImage(width: image.width, height: image.height, rgb: image.pixels, caption: p.caption)
            }
            return PairGrid.Pair(left: picture(row.first), right: picture(row.second),
                                 label: "\(row.pair.transform.name) · difference \(LookAlikes.format(row.pair.difference))")
        }
        let shown = pairs.count < rows.count ? " (the first \(pairs.count))" : ""
        return .pairs(PairGrid(title: "\(NumberText.count(rows.count)) look-alike pair\(rows.count == 1 ? "" : "s") \(scope)\(shown)",
                               pairs: pairs, columns: max(1, columns), cellSize: 120))
    }

    func image() throws -> RenderedImage {
        if let rendered { return rendered }
        let image = try figure(count: 12, columns: 2).render(as: .jpeg)
        rendered = image
        return image
    }

    /// The table, then the first pairs side by side.
    public func display() -> Display? {
        var html = rows.isEmpty ? "<p>\(Table.escape(headline))</p>" : table(limit: 50).html
        if !rows.isEmpty, let image = try? image() {
            html += image.htmlImage
        }
        if !skipped.isEmpty {
            html += "<p>Could not be read (skipped):</p><ul>" + skipped.prefix(50).map { "<li>\(Table.escape($0.path)): \(Table.escape($0.reason))</li>" }
                .joined() + "</ul>"
        }
        return Display(data: ["text/html": html, "text/plain": textDescription])
    }
}
