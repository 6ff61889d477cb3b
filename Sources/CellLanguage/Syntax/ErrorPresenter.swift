import CellIO

/// The one presenter: turns a `CellError` into what users read, a
/// `PresentedError` with Jupyter's ename/evalue/traceback (Swift-compiler-style
/// lines with the cell line and a caret), the text `shoal exec` prints and
/// the line grading feedback shows. The kernel, `shoal exec` and grading all
/// get their errors from here (through `Session.present`).
public struct ErrorPresenter {
    /// The name shown before line numbers, e.g. `cell` or `lesson.swift`.
    public var sourceName: String
    /// Added to line numbers (for cells that start deep inside a file).
    public var lineOffset: Int

    public init(sourceName: String = "cell", lineOffset: Int = 0) {
        self.sourceName = sourceName
        self.lineOffset = lineOffset
    }

    /// Lines like the Swift compiler prints:
    ///
    ///     cell:2:9: error: cannot find 'modle' in scope; did you mean 'model'?
    ///     let y = modle + 1
    ///             ^~~~~
    public func render(_ error: CellError, source: String) -> [String] {
        var lines = renderOne(error, source: source)
        for r in error.related { lines += renderOne(r, source: source) }
        return lines
    }

    public func text(_ error: CellError, source: String) -> String {
        render(error, source: source).joined(separator: "\n")
    }

    /// Every form of `error`, which happened in `source`. With
    /// `inRunCell: false` (an error inside a function from an earlier cell,
    /// shown against that cell's text) it has no offset in the cell that ran.
    public func present(_ error: CellError, source: String, inRunCell: Bool = true) -> PresentedError {
        PresentedError(ename: error.kind.rawValue, evalue: error.message, traceback: render(error, source: source),
                       offset: inRunCell && error.range.isKnown ? error.range.start : nil)
    }

    private func renderOne(_ error: CellError, source: String) -> [String] {
        // The kind is named for every error, parse errors too: in a notebook
        // the traceback is what the learner reads.
        let label = "error: \(error.kind.rawValue)"
        guard error.range.isKnown, let loc = SourceLocator(source).locate(error.range) else {
            return ["\(sourceName): \(label): \(error.message)"] + error.notes.map { "note: \($0)" }
        }
        var lines = ["\(sourceName):\(loc.line + lineOffset):\(loc.column): \(label): \(error.message)"]
        // Very long lines are shown as a window around the caret.
        var text = Array(loc.lineText)
        var caretColumn = loc.column - 1
        var width = loc.width
        if text.count > 160 {
            let from = max(0, caretColumn - 60)
            let to = min(text.count, from + 140)
            text = (from > 0 ? Array("…") : []) + Array(text[from..<to]) + (to < text.count ? Array("…") : [])
            caretColumn = caretColumn - from + (from > 0 ? 1 : 0)
            width = min(width, to - (loc.column - 1))
        }
        lines.append(String(text))
        lines.append(String(repeating: " ", count: max(0, caretColumn)) + "^"
                     + String(repeating: "~", count: max(0, width - 1)))
        lines += error.notes.map { "note: \($0)" }
        return lines
    }
}

/// Maps UTF-8 offsets in a cell to lines and columns (columns count characters).
struct SourceLocator {
    struct Location {
        var line: Int
        var column: Int
        var width: Int
        var lineText: String
    }

    let utf8: [UInt8]

    init(_ source: String) { utf8 = Array(source.utf8) }

    func locate(_ range: SourceRange) -> Location? {
        let start = min(max(0, range.start), utf8.count)
        var lineStart = start
        while lineStart > 0 && utf8[lineStart - 1] != 10 { lineStart -= 1 }
        var lineEnd = start
        while lineEnd < utf8.count && utf8[lineEnd] != 10 { lineEnd += 1 }
        let line = utf8[..<lineStart].reduce(1) { $0 + ($1 == 10 ? 1 : 0) }
        let prefix = String(decoding: utf8[lineStart..<start], as: UTF8.self)
        let end = min(max(start, range.end), lineEnd)
        let width = String(decoding: utf8[start..<end], as: UTF8.self).count
        let text = String(decoding: utf8[lineStart..<lineEnd], as: UTF8.self)
        return Location(line: line, column: prefix.count + 1, width: max(1, width), lineText: text)
    }
}
