import JupyterWire

/// history_request over the cells this kernel ran (tail, range, search).
extension Kernel {
    func historyReply(_ c: JSON) -> JSON {
        var items = history
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
