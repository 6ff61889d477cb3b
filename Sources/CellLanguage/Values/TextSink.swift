import KernelMemory

/// Where a value's text goes while it is written (`Value.writeText`): a
/// string, a string charged to the memory budget, a display cut to a size,
/// or the cell's output in chunks.
protocol TextSink {
    mutating func append(_ piece: String)
    /// True once nothing more will be kept: the writer stops walking the value.
    var isFull: Bool { get }
}

/// A plain string.
struct PlainText: TextSink {
    var text = ""
    mutating func append(_ piece: String) { text += piece }
    var isFull: Bool { false }
}

/// A string whose growth is charged to the memory budget before each
/// doubling; after a refusal it keeps nothing more.
struct ChargedText: TextSink {
    var text = ""
    private var nextCharge = 1 << 16
    private(set) var refusal: MemoryRefusal?

    mutating func append(_ piece: String) {
        guard refusal == nil else { return }
        let after = text.utf8.count + piece.utf8.count
        if after >= nextCharge {
            // The string is about to double: charge what it grows to.
            let grown = Swift.max(after, 2 * nextCharge)
            do { try MemoryBudget.charge(grown) } catch {
                refusal = error
                return
            }
            nextCharge = grown
        }
        text += piece
    }

    var isFull: Bool { refusal != nil }
}

/// At most `limit` UTF-8 bytes of text (cut between characters), for displays.
struct CappedText: TextSink {
    var text = ""
    let limit: Int
    private(set) var wasCut = false

    init(limit: Int) { self.limit = limit }

    mutating func append(_ piece: String) {
        guard !wasCut else { return }
        if text.utf8.count + piece.utf8.count <= limit {
            text += piece
            return
        }
        var room = limit - text.utf8.count
        for ch in piece {
            let n = ch.utf8.count
            if n > room { break }
            text.append(ch)
            room -= n
        }
        wasCut = true
    }

    var isFull: Bool { wasCut }
}
