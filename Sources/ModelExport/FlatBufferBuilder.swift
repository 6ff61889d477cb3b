/// A small FlatBuffers builder: enough for TFLite models and their metadata
/// (tables of scalars, strings, vectors and offsets; unions are a type byte
/// and a table offset). Like the reference builders it writes back to front,
/// so that every offset points forward in the finished buffer; positions
/// below are counted from the end of the buffer ("offsets"), as there.
///
/// ```swift
/// var b = FlatBufferBuilder()
/// let name = b.string("probability")
/// b.startTable(fields: 2)
/// b.addOffset(slot: 0, name)
/// b.add(slot: 1, Int32(3), default: 0)
/// let table = b.endTable()
/// let bytes = b.finish(root: table, identifier: "TFL3")
/// ```
struct FlatBufferBuilder {
    /// Bytes live in `storage[head...]`; the front is free space.
    private var storage: [UInt8]
    private var head: Int
    private var minimumAlignment = 1
    private var fields: [Int] = []
    private var tableStart = 0

    init(capacity: Int = 1 << 16) {
        storage = [UInt8](repeating: 0, count: max(capacity, 64))
        head = storage.count
    }

    /// How many bytes have been written (the position of the last write, counted from the end).
    var offset: Int { storage.count - head }

    private mutating func reserve(_ bytes: Int) {
        guard head < bytes else { return }
        let used = offset
        var capacity = storage.count
        while capacity - used < bytes { capacity *= 2 }
        var bigger = [UInt8](repeating: 0, count: capacity)
        bigger.withUnsafeMutableBufferPointer { dst in
            storage.withUnsafeBufferPointer { src in
                (dst.baseAddress! + capacity - used).update(from: src.baseAddress! + head, count: used)
            }
        }
        storage = bigger
        head = capacity - used
    }

    /// Pads so that after writing `additional` bytes, a value of `size` bytes is aligned.
    private mutating func align(_ size: Int, additional: Int = 0) {
        minimumAlignment = max(minimumAlignment, size)
        let padding = (~(offset + additional) &+ 1) & (size - 1)
        reserve(padding + size + additional)
        for _ in 0..<padding { head -= 1; storage[head] = 0 }
    }

    private mutating func push<T: FixedWidthInteger>(_ value: T) {
        let size = MemoryLayout<T>.size
        head -= size
        var v = value.littleEndian
        withUnsafeBytes(of: &v) { bytes in for i in 0..<size { storage[head + i] = bytes[i] } }
    }

    /// A scalar, aligned to its size.
    mutating func add<T: FixedWidthInteger>(_ value: T) {
        align(MemoryLayout<T>.size)
        push(value)
    }

    /// A forward offset to something already written.
    mutating func addOffset(_ target: Int) {
        align(4)
        push(UInt32(offset - target + 4))
    }

    // MARK: Strings and vectors

    /// A zero-terminated UTF-8 string with its length in front.
    mutating func string(_ text: String) -> Int {
        let bytes = Array(text.utf8)
        align(4, additional: bytes.count + 1)
        push(UInt8(0))
        copy(bytes)
        push(UInt32(bytes.count))
        return offset
    }

    /// A vector of bytes whose first byte sits on an `alignment` boundary (TFLite buffers use 16).
    mutating func bytes(_ data: [UInt8], alignment: Int = 4) -> Int {
        align(4, additional: data.count)
        align(alignment, additional: data.count)
        copy(data)
        push(UInt32(data.count))
        return offset
    }

    /// A vector of fixed-width integers (Int32, Int64, UInt16 …).
    mutating func vector<T: FixedWidthInteger>(_ values: [T]) -> Int {
        let size = MemoryLayout<T>.size
        align(4, additional: size * values.count)
        align(size, additional: size * values.count)
        var bytes = [UInt8](repeating: 0, count: size * values.count)
        bytes.withUnsafeMutableBytes { out in
            for (i, v) in values.enumerated() { out.storeBytes(of: v.littleEndian, toByteOffset: i * size, as: T.self) }
        }
        copy(bytes)
        push(UInt32(values.count))
        return offset
    }

    /// A vector of Float32.
    mutating func vector(_ values: [Float]) -> Int { vector(values.map(\.bitPattern)) }

    /// A vector of offsets to tables or strings written before.
    mutating func vector(offsets: [Int]) -> Int {
        align(4, additional: 4 * offsets.count)
        for target in offsets.reversed() { addOffset(target) }
        push(UInt32(offsets.count))
        return offset
    }

    private mutating func copy(_ bytes: [UInt8]) {
        reserve(bytes.count)
        head -= bytes.count
        storage.withUnsafeMutableBufferPointer { dst in
            bytes.withUnsafeBufferPointer { src in
                if let base = src.baseAddress { (dst.baseAddress! + head).update(from: base, count: src.count) }
            }
        }
    }

    // MARK: Tables

    /// Starts a table with room for `fields` slots (the schema's fields in order;
    /// a union takes two: its type, then its value).
    mutating func startTable(fields count: Int) {
        fields = [Int](repeating: 0, count: count)
        tableStart = offset
    }

    /// A scalar field; left out when it equals the schema's default.
    mutating func add<T: FixedWidthInteger>(slot: Int, _ value: T, default defaultValue: T? = nil) {
        if let defaultValue, value == defaultValue { return }
        add(value)
        fields[slot] = offset
    }

    mutating func add(slot: Int, _ value: Float, default defaultValue: Float? = nil) {
        if let defaultValue, value == defaultValue { return }
        add(value.bitPattern)
        fields[slot] = offset
    }

    mutating func add(slot: Int, _ value: Bool) {
        guard value else { return }
        add(UInt8(1))
        fields[slot] = offset
    }

    /// A field holding an offset to a table, string or vector.
    mutating func addOffset(slot: Int, _ target: Int) {
        addOffset(target)
        fields[slot] = offset
    }

    /// Ends the table: writes its vtable just before it and returns its offset.
    mutating func endTable() -> Int {
        add(Int32(0))  // the table's offset to its vtable, patched below
        let table = offset
        var used = fields.count
        while used > 0 && fields[used - 1] == 0 { used -= 1 }
        for slot in stride(from: used - 1, through: 0, by: -1) {
            push(UInt16(fields[slot] == 0 ? 0 : table - fields[slot]))
        }
        push(UInt16(table - tableStart))
        push(UInt16((used + 2) * 2))
        let vtable = offset
        let position = storage.count - table
        let distance = Int32(vtable - table)
        withUnsafeBytes(of: distance.littleEndian) { bytes in for i in 0..<4 { storage[position + i] = bytes[i] } }
        fields = []
        return table
    }

    /// The finished buffer: the root table's offset, then the 4-character file identifier.
    mutating func finish(root: Int, identifier: String) -> [UInt8] {
        let id = Array(identifier.utf8)
        align(minimumAlignment, additional: 8)
        for byte in id.prefix(4).reversed() { push(byte) }
        addOffset(root)
        return Array(storage[head...])
    }
}
