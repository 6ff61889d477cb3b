import Foundation

/// A `.swift` file split into cells at `// %%` lines (jupytext's percent format).
public struct CellFile {
    public struct Cell {
        public var source: String
        /// Lines before this cell in the file (so errors name file lines).
        public var lineOffset: Int
    }

    public var cells: [Cell]

    public init(text: String, splitCells: Bool) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard splitCells else {
            cells = [Cell(source: text, lineOffset: 0)]
            return
        }
        var cells: [Cell] = []
        var current: [String] = []
        var start = 0
        for (i, line) in lines.enumerated() {
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("// %%") {
                if current.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                    cells.append(Cell(source: current.joined(separator: "\n"), lineOffset: start))
                }
                current = []
                start = i + 1
            } else {
                current.append(line)
            }
        }
        if current.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            cells.append(Cell(source: current.joined(separator: "\n"), lineOffset: start))
        }
        self.cells = cells
    }
}


