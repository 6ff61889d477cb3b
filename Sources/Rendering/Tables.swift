import CellIO
import Foundation

/// A table shown as HTML (JupyterLab, VS Code and nbconvert render it alike)
/// with an aligned plain-text twin for consoles and logs.
public struct Table: Equatable, Sendable {
    public enum Alignment: Equatable, Sendable { case left, right }
    public struct Column: Equatable, Sendable {
        public var title: String
        public var alignment: Alignment
        public init(_ title: String, _ alignment: Alignment = .left) { (self.title, self.alignment) = (title, alignment) }
    }

    public var caption: String
    public var columns: [Column]
    public var rows: [[String]]
    /// A last row set apart (totals).
    public var footer: [String]?
    /// Row indices to emphasise (the best epoch).
    public var highlighted: Set<Int>

    public init(caption: String = "", columns: [Column], rows: [[String]], footer: [String]? = nil, highlighted: Set<Int> = []) {
        (self.caption, self.columns, self.rows, self.footer, self.highlighted) = (caption, columns, rows, footer, highlighted)
    }

    public static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }

    public var html: String {
        func cell(_ tag: String, _ text: String, _ column: Int, bold: Bool = false) -> String {
            let align = column < columns.count && columns[column].alignment == .right ? "right" : "left"
            let body = bold ? "<b>\(Table.escape(text))</b>" : Table.escape(text)
            return "<\(tag) style=\"text-align: \(align)\">\(body)</\(tag)>"
        }
        var out = "<table class=\"shoal-table\">"
        if !caption.isEmpty { out += "<caption style=\"text-align: left; font-weight: bold\">\(Table.escape(caption))</caption>" }
        out += "<thead><tr>" + columns.enumerated().map { cell("th", $1.title, $0) }.joined() + "</tr></thead><tbody>"
        for (r, row) in rows.enumerated() {
            out += "<tr>" + row.enumerated().map { cell("td", $1, $0, bold: highlighted.contains(r)) }.joined() + "</tr>"
        }
        out += "</tbody>"
        if let footer { out += "<tfoot><tr>" + footer.enumerated().map { cell("td", $1, $0, bold: true) }.joined() + "</tr></tfoot>" }
        return out + "</table>"
    }

    /// Columns padded to a common width; numbers right-aligned.
    public var plainText: String {
        let all = [columns.map(\.title)] + rows + (footer.map { [$0] } ?? [])
        let widths = columns.indices.map { c in all.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        func line(_ row: [String], mark: Bool = false) -> String {
            var text = columns.indices.map { c in
                let text = c < row.count ? row[c] : ""
                let pad = String(repeating: " ", count: max(0, widths[c] - text.count))
                return columns[c].alignment == .right ? pad + text : text + pad
            }.joined(separator: "  ")
            // Only the end is trimmed: a right-aligned first column keeps its padding ("  9/30" above "10/30").
            while text.last == " " { text.removeLast() }
            return text + (mark ? "  ←" : "")
        }
        var lines: [String] = []
        if !caption.isEmpty { lines.append(caption) }
        lines.append(line(columns.map(\.title)))
        lines.append(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
        for (r, row) in rows.enumerated() { lines.append(line(row, mark: highlighted.contains(r))) }
        if let footer {
            lines.append(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
            lines.append(line(footer))
        }
        return lines.joined(separator: "\n")
    }

    public var display: Display { Display(data: ["text/html": html, "text/plain": plainText]) }
}

/// Numbers as learners read them: thousands separated, a few significant digits.
public enum NumberText {
    /// `n` and the noun, singular for one: "1 epoch", "2,000 pictures".
    public static func count(_ n: Int, _ noun: String, plural: String? = nil) -> String {
        "\(count(n)) \(n == 1 ? noun : plural ?? noun + "s")"
    }

    public static func count(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    public static func decimal(_ x: Double, places: Int = 4) -> String {
        x.isFinite ? String(format: "%.\(places)f", x) : (x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf"))
    }

    public static func percent(_ x: Double) -> String { x.isFinite ? String(format: "%.1f%%", 100 * x) : "—" }

    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "—" }
        if seconds < 1 { return String(format: "%.0f ms", seconds * 1000) }
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        let s = Int(seconds.rounded())
        return s < 3600 ? String(format: "%d min %02d s", s / 60, s % 60) : String(format: "%d h %02d min", s / 3600, (s % 3600) / 60)
    }
}
