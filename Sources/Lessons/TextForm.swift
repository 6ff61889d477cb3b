import Foundation

/// A lesson as plain text, for reviewing in diffs (jupytext's "percent"
/// format, in Swift comments): each cell starts with a `// %%` line that
/// carries its metadata as JSON; markdown cells are comment lines.
///
///     // %% {"shoal":{"exercise":"sum","points":2}}
///     let total = numbers.reduce(0, +)
///     // %% [markdown]
///     // # A heading
///
/// Text form → notebook → text form gives the same text; outputs are not kept.
public enum TextForm {
    public static func render(_ notebook: Notebook) throws -> String {
        var out: [String] = []
        for cell in notebook.cells {
            var header = cell.isCode ? "// %%" : (cell.type == "markdown" ? "// %% [markdown]" : "// %% [raw]")
            let metadata = cell.metadata
            if !metadata.isEmpty {
                let json = try JSONSerialization.data(withJSONObject: metadata, options: [.sortedKeys])
                header += " " + String(decoding: json, as: UTF8.self)
            }
            out.append(header)
            let lines = cell.source.components(separatedBy: "\n")
            if cell.isCode {
                out += lines
            } else {
                out += lines.map { $0.isEmpty ? "//" : "// " + $0 }
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    public static func parse(_ text: String, kernelName: String = "shoal") throws -> Notebook {
        var cells: [[String: Any]] = []
        var current: (type: String, metadata: [String: Any], lines: [String])?
        func finish() {
            guard let c = current else { return }
            var lines = c.lines
            if c.type != "code" {
                lines = lines.map { $0 == "//" ? "" : ($0.hasPrefix("// ") ? String($0.dropFirst(3)) : $0) }
            }
            // nbformat 4.5 wants an id per cell; the position keeps it stable from one conversion to the next.
            var cell: [String: Any] = ["cell_type": c.type, "id": "cell-\(cells.count + 1)", "metadata": c.metadata,
                                       "source": lines.joined(separator: "\n")]
            if c.type == "code" { cell["outputs"] = [Any](); cell["execution_count"] = NSNull() }
            cells.append(cell)
        }
        let lines = text.hasSuffix("\n") ? Array(text.dropLast().components(separatedBy: "\n")) : text.components(separatedBy: "\n")
        for (n, line) in lines.enumerated() {
            guard line.hasPrefix("// %%") else {
                guard current != nil else {
                    if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                    throw LessonError("line \(n + 1): text before the first // %% cell marker")
                }
                current?.lines.append(line)
                continue
            }
            finish()
            var rest = line.dropFirst(5).trimmingCharacters(in: .whitespaces)
            var type = "code"
            for (tag, kind) in [("[markdown]", "markdown"), ("[raw]", "raw")] where rest.hasPrefix(tag) {
                type = kind
                rest = rest.dropFirst(tag.count).trimmingCharacters(in: .whitespaces)
            }
            var metadata: [String: Any] = [:]
            if !rest.isEmpty {
                guard let object = try? JSONSerialization.jsonObject(with: Data(rest.utf8)) as? [String: Any] else {
                    throw LessonError("line \(n + 1): the cell's metadata is not a JSON object")
                }
                metadata = object
            }
            current = (type, metadata, [])
        }
        finish()
        let json: [String: Any] = ["nbformat": 4, "nbformat_minor": 5, "cells": cells,
                                   "metadata": ["kernelspec": ["name": kernelName, "display_name": "Swift (Shoal)", "language": "swift"]]]
        return try Notebook(data: JSONSerialization.data(withJSONObject: json))
    }
}
