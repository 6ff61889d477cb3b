import CellIO

/// `print` and `warn`: the items' text goes to the cell's output in chunks of
/// 64 KiB as it is written, so printing a huge array never builds its whole
/// text first (the output's own limit then cuts what is shown). An
/// interrupt stops the writing.
struct OutputText: TextSink {
    let output: OutputSink
    let stream: OutputStreamName
    let cancellation: CancellationToken
    private var buffer = ""
    static let chunk = 1 << 16

    init(_ rt: Runtime, stream: OutputStreamName) {
        output = rt.output
        self.stream = stream
        cancellation = rt.cancellation
    }

    mutating func append(_ piece: String) {
        if piece.utf8.count >= OutputText.chunk {
            // A long string goes out as it is, not copied into the buffer.
            flush()
            output.write(piece, to: stream)
            return
        }
        buffer += piece
        if buffer.utf8.count >= OutputText.chunk { flush() }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        output.write(buffer, to: stream)
        buffer = ""
    }

    var isFull: Bool { cancellation.isCancelled }

    /// Writes `items` as `print(items, separator:, terminator:)` does.
    static func print(_ items: [Value], separator: String, terminator: String, to stream: OutputStreamName,
                      _ rt: Runtime) throws {
        if items.count == 1, case .string(let s) = items[0], s.utf8.count < chunk {
            // The common case, one write as before.
            rt.output.write(s + terminator, to: stream)
            return
        }
        var out = OutputText(rt, stream: stream)
        for (i, item) in items.enumerated() {
            if i > 0 { out.append(separator) }
            item.writeText(debug: false, to: &out)
        }
        out.append(terminator)
        out.flush()
        try rt.cancellation.check()
    }
}
