import Foundation

/// printf-style formatting for `String(format:)`: %d %i %f %e %g %s %x %o %c %@ and %%,
/// with flags, width and precision.
enum Formatter {
    static func format(_ fmt: String, _ args: [Value]) throws -> String {
        var out = ""
        var chars = Array(fmt)[...]
        var next = 0
        func arg() throws -> Value {
            guard next < args.count else {
                throw CellError.value("the format \"\(fmt)\" needs more arguments than the \(args.count) given")
            }
            next += 1
            return args[next - 1]
        }
        while let c = chars.popFirst() {
            guard c == "%" else { out.append(c); continue }
            var spec = "%"
            while let d = chars.first, "-+ 0#123456789.".contains(d) { spec.append(d); chars.removeFirst() }
            while let d = chars.first, "lhqzjt".contains(d) { chars.removeFirst() }
            guard let conv = chars.popFirst() else { throw CellError.value("the format ends in the middle of a placeholder") }
            // A width or precision of a billion is a billion characters: charged before it is made.
            let widest = spec.split(whereSeparator: { !$0.isNumber }).map { Int($0) ?? Int.max / 2 }.max() ?? 0
            try Memory.charge(Memory.text(widest), "this formatted string")
            switch conv {
            case "%": out += "%"
            case "d", "i", "x", "X", "o", "u":
                let v = try arg()
                guard case .int(let n) = v else {
                    throw CellError.type("%\(conv) expects an Int, got '\(v.typeName)'")
                }
                out += String(format: spec + "l" + String(conv == "u" ? "d" : conv), n)
            case "f", "F", "e", "E", "g", "G":
                let v = try arg()
                let d: Double
                switch v {
                case .double(let x): d = x
                case .int(let n): d = Double(n)
                default: throw CellError.type("%\(conv) expects a Double, got '\(v.typeName)'")
                }
                out += String(format: spec + String(conv), d)
            case "s", "@", "c":
                let s = try arg().text()
                let width = Int(spec.dropFirst().filter { $0.isNumber }) ?? 0
                let padded = s.count < width ? (spec.contains("-") ? s + String(repeating: " ", count: width - s.count)
                                                : String(repeating: " ", count: width - s.count) + s) : s
                out += padded
            default:
                throw CellError.value("unknown placeholder %\(conv) in the format")
            }
        }
        return out
    }
}
