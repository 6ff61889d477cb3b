import JupyterWire

/// history_request over the cells this kernel ran (tail, range, search).
extension Kernel {
    func historyReply(_ c: JSON) -> JSON {
        var items = history.items
        switch c["hist_access_type"]?.string ?? "tail" {
        case "range":
            let start = c["start"]?.int ?? 0, stop = c["stop"]?.int ?? Int.max
            items = items.filter { $0.line >= start && $0.line < stop }
        case "search":
            let pattern = c["pattern"]?.string ?? "*"
            items = items.filter { Kernel.glob(pattern, $0.input) }
            if c["unique"]?.bool == true {
                var seen = Set<String>()
                items = items.reversed().filter { seen.insert($0.input).inserted }.reversed()
            }
            if let n = c["n"]?.int, n > 0 { items = Array(items.suffix(n)) }
        default:
            if let n = c["n"]?.int { items = Array(items.suffix(max(0, n))) }
        }
        let withOutput = c["output"]?.bool ?? false
        let rows = items.map { item -> JSON in
            let entry: JSON = withOutput ? .array([.string(item.input), .string(item.output)]) : .string(item.input)
            return .array([.int(item.session), .int(item.line), entry])
        }
        return .object(["status": .string("ok"), "history": .array(rows)])
    }

    /// `*` and `?` wildcards, as IPython's history search uses them.
    static func glob(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern), t = Array(text)
        func match(_ i: Int, _ j: Int) -> Bool {
            if i == p.count { return j == t.count }
            if p[i] == "*" { return (j...t.count).contains { match(i + 1, $0) } }
            guard j < t.count, p[i] == "?" || p[i] == t[j] else { return false }
            return match(i + 1, j + 1)
        }
        return match(0, 0)
    }
}

/// The cells this kernel ran, for history_request: each one's execution
/// count, code and result text, kept as UTF-8 in one buffer with 32-bit
/// offsets (a String pair an entry kept about twice the bytes: the soak in
/// benchmarks/ runs 12,000 executes in one kernel).
struct HistoryLog {
    struct Item {
        let session: Int
        let line: Int
        let input: String
        let output: String
    }

    private var text: [UInt8] = []
    /// Each entry's line, and where its input and its output end in `text`
    /// (its input starts where the previous entry's output ends).
    private var entries: [(line: Int32, inputEnd: UInt32, outputEnd: UInt32)] = []

    var count: Int { entries.count }

    /// Past 4 GiB of text the log keeps what it has and takes no more.
    static let capacity = Int(UInt32.max)

    /// A new entry, without output (yet).
    mutating func append(line: Int, input: String) {
        guard text.count + input.utf8.count <= HistoryLog.capacity else { full = true; return }
        full = false
        text += input.utf8
        let end = UInt32(truncatingIfNeeded: text.count)
        entries.append((Int32(truncatingIfNeeded: line), end, end))
    }

    /// Whether the last append was refused (its output goes nowhere).
    private var full = false

    /// The output of the last entry (only the last one can still get one).
    mutating func setLastOutput(_ output: String) {
        guard !full, let last = entries.last, Int(last.inputEnd) + output.utf8.count <= HistoryLog.capacity else { return }
        text.removeSubrange(Int(last.inputEnd)...)
        text += output.utf8
        entries[entries.count - 1].outputEnd = UInt32(truncatingIfNeeded: text.count)
    }

    var items: [Item] {
        var start = 0
        return entries.map { e in
            let input = String(decoding: text[start..<Int(e.inputEnd)], as: UTF8.self)
            let output = String(decoding: text[Int(e.inputEnd)..<Int(e.outputEnd)], as: UTF8.self)
            start = Int(e.outputEnd)
            return Item(session: 1, line: Int(e.line), input: input, output: output)
        }
    }
}
