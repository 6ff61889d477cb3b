import CellLanguage
import Foundation
import JupyterWire

/// Where a binary buffer sits in a widget's state (widget message protocol
/// 2.1): a path of keys and list positions, `["x"]` or `["y", "z", 0]`.
/// The state keeps no value there (a key is left out, a list holds `null`);
/// the bytes travel after the message's frames.
struct BufferPath: Hashable, Comparable {
    enum Step: Hashable {
        case key(String)
        case index(Int)

        var json: JSON {
            switch self {
            case .key(let k): return .string(k)
            case .index(let i): return .int(i)
            }
        }
    }

    var steps: [Step]

    /// The state key the buffer belongs to.
    var key: String? { if case .key(let k)? = steps.first { return k } else { return nil } }
    var json: JSON { .array(steps.map(\.json)) }

    static func < (a: BufferPath, b: BufferPath) -> Bool { a.json.text < b.json.text }

    /// The paths of a message's `buffer_paths`, one for each buffer it
    /// carries; throws `WidgetError` when they do not match.
    static func paths(_ data: JSON, buffers: [[UInt8]], what: String) throws -> [BufferPath] {
        let listed = data["buffer_paths"]
        guard let items = listed?.array ?? (listed == nil || listed == .null ? [] : nil) else {
            throw WidgetError("\(what)'s buffer_paths must be a list of paths, not \(listed?.text ?? "")")
        }
        guard items.count == buffers.count else {
            throw WidgetError("\(what) names \(items.count) buffer path\(items.count == 1 ? "" : "s") but carries "
                              + "\(buffers.count) buffer\(buffers.count == 1 ? "" : "s")")
        }
        return try items.map { item in
            guard let raw = item.array, !raw.isEmpty else {
                throw WidgetError("a buffer path must be a non-empty list of keys and positions, not \(item.text)")
            }
            let steps = try raw.enumerated().map { i, step -> Step in
                switch step {
                case .string(let k): return .key(k)
                case .int(let n) where n >= 0 && i > 0: return .index(n)
                default: throw WidgetError("a buffer path holds state keys and list positions, not \(step.text) (in \(item.text))")
                }
            }
            return BufferPath(steps: steps)
        }
    }
}

/// A widget's message content as the cell language sees it, and back:
/// JSON objects become `[String: Any]` dictionaries, lists arrays, `null`
/// nil; buffers are lists of bytes (`[[Int]]`, each 0 to 255).
enum WidgetPayload {
    static func value(_ j: JSON) -> Value {
        switch j {
        case .null: return .none
        case .bool(let b): return .bool(b)
        case .int(let n): return .int(n)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .array(let items): return .array(items.map(value))
        case .object(let o):
            return .dictionary(OrderedDictionary(o.sorted { $0.key < $1.key }.map { (.string($0.key), value($0.value)) }))
        }
    }

    /// - Throws: `CellError.type` for a value a message cannot carry (a model, a function, a dictionary with non-text keys).
    static func json(_ v: Value) throws -> JSON {
        switch v {
        case .void, .optional(nil): return .null
        case .optional(let inner?): return try json(inner)
        case .bool(let b): return .bool(b)
        case .int(let n): return .int(n)
        case .double(let d):
            guard d.isFinite else { throw CellError.value("a widget message cannot carry \(v.description): only finite numbers") }
            return .double(d)
        case .string(let s): return .string(s)
        case .array(let items): return .array(try items.map(json))
        case .tuple(let t): return .array(try t.elements.map(json))
        case .dictionary(let d):
            var o: [String: JSON] = [:]
            for (k, item) in zip(d.keys, d.values) {
                guard case .string(let key) = k else {
                    throw CellError.type("a widget message's dictionaries need text keys, not \(k.description)")
                }
                o[key] = try json(item)
            }
            return .object(o)
        default:
            throw CellError.type("a widget message carries numbers, text, true/false, nil, arrays and dictionaries, "
                                 + "not a value of type '\(v.typeName)'")
        }
    }

    static func bytes(_ buffers: [[UInt8]]) -> Value { .array(buffers.map { .array($0.map { .int(Int($0)) }) }) }

    /// - Throws: `CellError.value` for a number that is not a byte.
    static func buffers(_ lists: [[Int]]) throws -> [[UInt8]] {
        try lists.enumerated().map { i, list in
            try list.enumerated().map { j, n in
                guard let b = UInt8(exactly: n) else {
                    throw CellError.value("buffer \(i) holds \(n) at position \(j); a byte is a whole number from 0 to 255")
                }
                return b
            }
        }
    }
}
