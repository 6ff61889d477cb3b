#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A cell's output with its limits applied: stream text beyond
/// `Limits.maxOutputLines` lines or `maxOutputBytes` bytes, and displays
/// beyond `maxDisplays` or `maxDisplayBytes`, are counted and dropped; a note
/// where the output is cut, and one at the end of the cell saying how much
/// was not shown. Updates of a display in place (`update: true`): the first
/// hundred per display all go out, then at most one every 50 ms, the latest
/// one always last, so that a loop updating a display a million times sends
/// a few hundred messages.
///
/// `Session` wraps whatever sink it is given in one of these for each cell,
/// so the kernel, `shoal exec`, grading and tests see the same limits.
public final class LimitedOutput: OutputSink {
    public let inner: OutputSink
    private let limits: Limits
    private var lines = 0
    private var bytes = 0
    private var droppedLines = 0
    private var droppedBytes = 0
    /// Whether the last text kept ended a line (a dropped part then starts one).
    private var atLineStart = true
    private var displays = 0
    private var displayBytes = 0
    private var droppedDisplays = 0
    /// The latest update not yet sent, per display id, and when each id was last sent.
    private var heldUpdates: [String: Display] = [:]
    private var heldOrder: [String] = []
    private var lastUpdate: [String: Double] = [:]
    /// Updates per display id in this cell: the first `unthrottledUpdates` all go out.
    private var updates: [String: Int] = [:]
    public static let unthrottledUpdates = 100
    private let clock: () -> Double

    public init(_ inner: OutputSink, limits: Limits, clock: @escaping () -> Double = LimitedOutput.monotonic) {
        self.inner = inner
        self.limits = limits
        self.clock = clock
    }

    /// Whether stream text is being dropped now.
    public private(set) var isCut = false

    public func write(_ text: String, to stream: OutputStreamName) {
        if isCut {
            droppedBytes += text.utf8.count
            droppedLines += LimitedOutput.newlines(in: text)
            return
        }
        let newlines = LimitedOutput.newlines(in: text)
        if lines + newlines <= limits.maxOutputLines && bytes + text.utf8.count <= limits.maxOutputBytes {
            lines += newlines
            bytes += text.utf8.count
            if let last = text.utf8.last { atLineStart = last == UInt8(ascii: "\n") }
            inner.write(text, to: stream)
            return
        }
        // Keep whole lines while both limits hold (or, for one line longer
        // than the room left, as many characters as fit); drop the rest.
        let room = limits.maxOutputBytes - bytes
        var keep = 0, keptLines = 0, offset = 0
        for b in text.utf8 {
            offset += 1
            if offset > room { break }
            if b == UInt8(ascii: "\n") {
                if lines + keptLines + 1 > limits.maxOutputLines { break }
                keptLines += 1
                keep = offset
            }
        }
        if keep == 0 && keptLines == 0 && lines < limits.maxOutputLines {
            keep = LimitedOutput.characterBoundary(text, atMost: min(room, text.utf8.count))
        }
        let utf8 = text.utf8
        let cutAt = utf8.index(utf8.startIndex, offsetBy: keep)
        if keep > 0 {
            inner.write(String(text[..<cutAt]), to: stream)
            atLineStart = utf8[utf8.index(before: cutAt)] == UInt8(ascii: "\n")
        }
        lines += keptLines
        bytes += keep
        isCut = true
        droppedBytes = text.utf8.count - keep
        droppedLines = newlines - keptLines
        inner.write((atLineStart ? "" : "\n") + "… output cut here: a cell shows at most \(LimitedOutput.count(limits.maxOutputLines)) "
                    + "lines or \(LimitedOutput.size(limits.maxOutputBytes)) of text\n", to: .stderr)
    }

    /// The largest offset up to `limit` that does not split a character's UTF-8 bytes.
    static func characterBoundary(_ text: String, atMost limit: Int) -> Int {
        var n = limit
        let utf8 = Array(text.utf8.prefix(limit + 1))
        while n > 0 && n < utf8.count && utf8[n] & 0xC0 == 0x80 { n -= 1 }
        return n
    }

    public func display(_ display: Display, id: String?, update: Bool) {
        let size = display.data.values.reduce(0) { $0 + $1.utf8.count }
        if update, let id {
            let now = clock()
            updates[id, default: 0] += 1
            if updates[id, default: 0] > LimitedOutput.unthrottledUpdates, let last = lastUpdate[id], now - last < 0.05 {
                if !heldOrder.contains(id) { heldOrder.append(id) }
                heldUpdates[id] = display
                return
            }
            heldUpdates[id] = nil
            lastUpdate[id] = now
            inner.display(display, id: id, update: true)
            return
        }
        if displays + 1 > limits.maxDisplays || displayBytes + size > limits.maxDisplayBytes {
            if droppedDisplays == 0 {
                inner.write("… displays cut here: a cell shows at most \(LimitedOutput.count(limits.maxDisplays)) displays or "
                            + "\(LimitedOutput.size(limits.maxDisplayBytes)) of them\n", to: .stderr)
            }
            droppedDisplays += 1
            return
        }
        displays += 1
        displayBytes += size
        if let id { lastUpdate[id] = clock() }
        inner.display(display, id: id, update: update)
    }

    public func clearOutput(wait: Bool) { inner.clearOutput(wait: wait) }
    public func readLine(prompt: String) -> String? { inner.readLine(prompt: prompt) }
    public func page(_ text: String) { inner.page(text) }
    /// Widgets' comm messages pass through unlimited: they are the widgets themselves, not output.
    public func comm(_ message: CommMessage) { inner.comm(message) }
    public var showsLiveDisplays: Bool { inner.showsLiveDisplays }

    /// Sends the held updates and, when anything was dropped, says how much.
    public func finish() {
        for id in heldOrder {
            if let d = heldUpdates[id] { inner.display(d, id: id, update: true) }
        }
        heldUpdates = [:]
        heldOrder = []
        var parts: [String] = []
        if isCut {
            parts.append("\(LimitedOutput.count(droppedLines)) more line\(droppedLines == 1 ? "" : "s") "
                         + "(\(LimitedOutput.size(droppedBytes))) of output")
        }
        if droppedDisplays > 0 {
            parts.append("\(LimitedOutput.count(droppedDisplays)) more display\(droppedDisplays == 1 ? "" : "s")")
        }
        guard !parts.isEmpty else { return }
        inner.write("… \(parts.joined(separator: " and ")) were not shown\n", to: .stderr)
    }

    static func newlines(in text: String) -> Int {
        var n = 0
        for b in text.utf8 where b == UInt8(ascii: "\n") { n += 1 }
        return n
    }

    /// 1234567 as "1,234,567".
    static func count(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }

    /// Bytes as "5.0 MB", "812 KB", "96 bytes".
    static func size(_ n: Int) -> String {
        if n >= 1 << 20 {
            let tenths = Int((Double(n) / Double(1 << 20) * 10).rounded())
            return "\(tenths / 10).\(tenths % 10) MB"
        }
        if n >= 1 << 10 { return "\(Int((Double(n) / 1024).rounded())) KB" }
        return "\(n) bytes"
    }

    public static func monotonic() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
