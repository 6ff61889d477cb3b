/// Pairs of pictures side by side, each picture with a caption of up to two
/// lines and each pair with a label under both (look-alike pictures: "vertical
/// flip · distance 2").
public struct PairGrid: Equatable, Sendable {
    public struct Pair: Equatable, Sendable {
        /// Captions may hold one line break ("training\nperch #12").
        public var left: GridImage
        public var right: GridImage
        public var label: String
        public init(left: GridImage, right: GridImage, label: String) { (self.left, self.right, self.label) = (left, right, label) }
    }

    public var title: String
    public var pairs: [Pair]
    /// Pairs per row.
    public var columns: Int
    /// The side of each picture's square, in display points.
    public var cellSize: Int

    public init(title: String = "", pairs: [Pair], columns: Int = 2, cellSize: Int = 120) {
        (self.title, self.pairs, self.columns, self.cellSize) = (title, pairs, columns, cellSize)
    }

    static let gap = 22.0, pairSpacing = 30.0, margin = 14.0, captionHeight = 42.0, rowSpacing = 14.0

    var columnCount: Int { max(1, min(columns, pairs.count)) }
    var pairWidth: Double { 2 * Double(cellSize) + PairGrid.gap }
    var titleHeight: Double { title.isEmpty ? PairGrid.margin : 40 }

    var size: (width: Double, height: Double) {
        let rows = max(1, (pairs.count + columnCount - 1) / columnCount)
        return (2 * PairGrid.margin + Double(columnCount) * pairWidth + Double(columnCount - 1) * PairGrid.pairSpacing,
                titleHeight + Double(rows) * (Double(cellSize) + PairGrid.captionHeight + 14 + PairGrid.rowSpacing))
    }

    var summary: String {
        let shown = pairs.prefix(10).map { p in
            "\(p.left.caption.replacingOccurrences(of: "\n", with: " ")) ↔ \(p.right.caption.replacingOccurrences(of: "\n", with: " "))"
                + (p.label.isEmpty ? "" : " (\(p.label))")
        }
        let rest = "\(pairs.count) pair\(pairs.count == 1 ? "" : "s")" + (shown.isEmpty ? "" : ": " + shown.joined(separator: "; "))
            + (pairs.count > 10 ? "; …" : "")
        return title.isEmpty ? rest : "\(title) — \(rest)"
    }
}

/// Text that fits `width`: the size shrinks from `size` to 8 points first,
/// then the middle gives way to "…" (a file name keeps its start and its end).
func fitted(_ text: String, _ canvas: Canvas, width: Double, size: Double, bold: Bool = false) -> (String, Double) {
    var s = size
    while s > 8, canvas.textWidth(text, size: s, bold: bold) > width { s -= 0.5 }
    guard canvas.textWidth(text, size: s, bold: bold) > width else { return (text, s) }
    var chars = Array(text)
    while chars.count > 3 {
        chars.remove(at: chars.count / 2)
        let cut = String(chars[..<(chars.count / 2)]) + "…" + String(chars[(chars.count / 2)...])
        if canvas.textWidth(cut, size: s, bold: bold) <= width { return (cut, s) }
    }
    return (String(chars), s)
}

func drawPairs(_ g: PairGrid, _ canvas: Canvas, _ origin: (Double, Double)) throws {
    let cell = Double(g.cellSize)
    let columns = g.columnCount
    if !g.title.isEmpty {
        let (title, size) = fitted(g.title, canvas, width: g.size.width - 16, size: 13, bold: true)
        canvas.text(title, at: (origin.0 + g.size.width / 2, origin.1 + 25), size: size, anchor: .middle, bold: true)
    }
    let rowHeight = cell + PairGrid.captionHeight + 14 + PairGrid.rowSpacing
    for (i, pair) in g.pairs.enumerated() {
        let x = origin.0 + PairGrid.margin + Double(i % columns) * (g.pairWidth + PairGrid.pairSpacing)
        let y = origin.1 + g.titleHeight + Double(i / columns) * rowHeight
        canvas.fill(rect: (x - 6, y - 6, g.pairWidth + 12, rowHeight - PairGrid.rowSpacing + 4), Colour(hex: 0xF3F3F3))
        for (k, image) in [pair.left, pair.right].enumerated() {
            let left = x + Double(k) * (cell + PairGrid.gap)
            let scale = min(cell / Double(max(image.width, 1)), cell / Double(max(image.height, 1)))
            let (dw, dh) = (Double(image.width) * scale, Double(image.height) * scale)
            try canvas.image(rgb: image.rgb, width: image.width, height: image.height,
                             into: (left + (cell - dw) / 2, y + (cell - dh) / 2, dw, dh))
            for (line, text) in image.caption.split(separator: "\n", omittingEmptySubsequences: false).prefix(2).enumerated() {
                let (shown, size) = fitted(String(text), canvas, width: cell + PairGrid.gap - 4, size: 10)
                canvas.text(shown, at: (left + cell / 2, y + cell + 14 + 13 * Double(line)), size: size,
                            colour: line == 0 ? .text : .axis, anchor: .middle)
            }
        }
        canvas.text("↔", at: (x + cell + PairGrid.gap / 2, y + cell / 2 + 6), size: 16, colour: .axis, anchor: .middle)
        let (label, size) = fitted(pair.label, canvas, width: g.pairWidth, size: 11, bold: true)
        canvas.text(label, at: (x + g.pairWidth / 2, y + cell + PairGrid.captionHeight + 6), size: size, colour: .wrong,
                    anchor: .middle, bold: true)
    }
}
