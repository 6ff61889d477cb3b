/// Copies a string's UTF-8 bytes into a buffer a string is being built in
/// (`String(unsafeUninitializedCapacity:)`): one `memcpy` for a native or
/// small string, instead of a loop over its `utf8` view.
enum UTF8Copy {
    /// Writes `s`'s bytes at `out[at...]` and moves `at` past them. The
    /// buffer must have room (the caller measured every piece first). The
    /// standard library copies a native string's bytes with one `memcpy`
    /// here without retaining it (`withContiguousStorageIfAvailable` costs
    /// a retain and a release a string).
    @inline(__always)
    static func copy(_ s: String, into out: UnsafeMutableBufferPointer<UInt8>, at: inout Int) {
        let (_, written) = UnsafeMutableBufferPointer(rebasing: out[at...]).initialize(from: s.utf8)
        at += written
    }

    /// The bytes of `items`' strings with `separator` bytes between every
    /// two items, and whether every item is a string.
    static func joinedLength(_ items: [Value], separator: Int) -> (bytes: Int, allStrings: Bool) {
        items.withUnsafeBufferPointer { buffer in
            var bytes = Memory.values(buffer.count, each: separator)
            var allStrings = true
            for item in buffer {
                if case .string(let s) = item { bytes = Memory.sum(bytes, s.utf8.count) } else { allStrings = false }
            }
            return (bytes, allStrings)
        }
    }

    /// `items` (strings, `joinedLength` of them `length` bytes) joined with
    /// `separator`, written once at its length.
    static func join(_ items: [Value], separator: String, length: Int) -> String {
        var separator = separator
        return separator.withUTF8 { sep in
            items.withUnsafeBufferPointer { buffer in
                String(unsafeUninitializedCapacity: length) { out in
                    guard let to = out.baseAddress else { return 0 }
                    var at = 0
                    // By index, each string read in place: an element bound
                    // by `for` is a copy (a retain and a release each).
                    for k in buffer.indices {
                        if k > 0, let from = sep.baseAddress, sep.count > 0 {
                            (to + at).update(from: from, count: sep.count)
                            at += sep.count
                        }
                        switch buffer[k] {
                        case .string(let s): copy(s, into: out, at: &at)
                        default: break
                        }
                    }
                    return at
                }
            }
        }
    }

    /// How many Characters an ASCII text of these bytes has (a "\r\n" pair
    /// is one), or nil when a byte is not ASCII. Eight bytes at a time.
    static func asciiCharacterCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress else { return 0 }
        let n = bytes.count
        let high: UInt64 = 0x8080_8080_8080_8080
        let ones: UInt64 = 0x0101_0101_0101_0101
        let cr: UInt64 = 0x0D0D_0D0D_0D0D_0D0D
        var i = 0
        var sawReturn = false
        let raw = UnsafeRawPointer(base)
        while i + 8 <= n {
            let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if word & high != 0 { return nil }
            let x = word ^ cr
            // A zero byte of x is a "\r" in the word.
            if (x &- ones) & ~x & high != 0 { sawReturn = true }
            i += 8
        }
        while i < n {
            let b = base[i]
            if b >= 0x80 { return nil }
            if b == 0x0D { sawReturn = true }
            i += 1
        }
        guard sawReturn else { return n }
        var pairs = 0
        for k in 1..<n where base[k] == 0x0A && base[k - 1] == 0x0D { pairs += 1 }
        return n - pairs
    }
}
