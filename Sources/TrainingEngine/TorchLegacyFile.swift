import Foundation

/// Reads PyTorch's legacy (pre-1.6, non-zip) `torch.save` files without
/// torch: a magic-number pickle, a protocol-version pickle, a system-info
/// pickle, the pickled object (a state dict whose tensors refer to storages
/// by key), a pickled list of storage keys, then each storage's raw
/// little-endian data preceded by its element count. Only the pickle opcodes
/// such files use are understood; anything else is a clear error.
public enum TorchLegacyFile {
    /// Float tensors of a state dict by name, in file order (integer tensors
    /// such as batch norm's `num_batches_tracked` are left out).
    public static func read(_ url: URL) throws -> [(name: String, tensor: Tensor)] {
        let data: Data
        do { data = try Data(contentsOf: url, options: .mappedIfSafe) } catch {
            throw ModelFileError("cannot read \(url.path)")
        }
        return try decode([UInt8](data), source: url.lastPathComponent)
    }

    public static func decode(_ bytes: [UInt8], source: String = "the file") throws -> [(name: String, tensor: Tensor)] {
        var reader = PickleReader(bytes: bytes, source: source)
        let magic = try reader.load()
        // The magic number (0x1950A86A20F9469CFC6C) is a ten-byte LONG1.
        guard case .int = magic, bytes.count > 14, bytes[2] == 0x8A, bytes[3] == 10 else {
            throw ModelFileError("\(source) is not a legacy PyTorch file")
        }
        _ = try reader.load()   // protocol version
        _ = try reader.load()   // system info
        let object = try reader.load()
        guard case .list(let keyBox) = try reader.load() else { throw ModelFileError("\(source): no list of storage keys") }
        // Storages follow in key order: an 8-byte element count, then the data.
        var storages: [String: (offset: Int, count: Int)] = [:]
        var offset = reader.position
        for key in keyBox.items {
            guard case .string(let k) = key else { throw ModelFileError("\(source): a storage key is not a string") }
            guard let info = reader.storageTypes[k] else { throw ModelFileError("\(source): storage \(k) is never used") }
            guard offset + 8 <= bytes.count else { throw ModelFileError("\(source) ends inside its storages") }
            let count = bytes[offset..<(offset + 8)].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
            offset += 8
            guard count >= 0, count <= (bytes.count - offset) / max(info.elementSize, 1) else {
                throw ModelFileError("\(source): storage \(k) is larger than the file")
            }
            storages[k] = (offset, count)
            offset += count * info.elementSize
        }
        guard case .dict(let dict) = object else { throw ModelFileError("\(source) does not hold a state dict") }
        var out: [(String, Tensor)] = []
        for (key, value) in dict.items {
            guard case .string(let name) = key, case .tensor(let t) = value else { continue }
            guard let info = reader.storageTypes[t.storage], info.isFloat32, let storage = storages[t.storage] else { continue }
            // Element i of the tensor sits at storage offset + Σ index · stride.
            var tensor = try Tensor(uninitialized: t.shape)
            try tensor.withUnsafeMutableBufferPointer { dst in
                try forEachPosition(t.shape, strides: [t.stride], start: [t.offset]) { i, o in
                    let element = o[0]
                    guard element >= 0, element < storage.count else { throw ModelFileError("\(source): \(name) reaches outside its storage") }
                    let at = storage.offset + 4 * element
                    dst[i] = Float(bitPattern: UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24)
                }
            }
            out.append((name, tensor))
        }
        return out
    }
}

/// A tensor as a legacy pickle describes it: a storage and a view of it.
struct PickledTensor {
    let storage: String
    let offset: Int
    let shape: [Int]
    let stride: [Int]
}

final class PickleList { var items: [PickleValue] = [] }
final class PickleDict { var items: [(PickleValue, PickleValue)] = [] }

indirect enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case tuple([PickleValue])
    case list(PickleList)
    case dict(PickleDict)
    case global(String)
    case persistent(PickleValue)
    case tensor(PickledTensor)
    case storageType(String)
    case object(String)
}

struct PickleReader {
    let bytes: [UInt8]
    let source: String
    var position = 0
    /// Storage key → element type, learned from persistent ids.
    var storageTypes: [String: (elementSize: Int, isFloat32: Bool)] = [:]

    init(bytes: [UInt8], source: String) { (self.bytes, self.source) = (bytes, source) }

    func fail(_ why: String) -> ModelFileError { ModelFileError("\(source) is not a PyTorch file Shoal can read: \(why)") }

    mutating func byte() throws -> UInt8 {
        guard position < bytes.count else { throw fail("it ends too early") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, position + n <= bytes.count else { throw fail("it ends too early") }
        defer { position += n }
        return bytes[position..<(position + n)]
    }

    mutating func uint(_ n: Int) throws -> Int {
        try take(n).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
    }

    mutating func line() throws -> String {
        var out: [UInt8] = []
        while true {
            let b = try byte()
            if b == 0x0A { break }
            out.append(b)
        }
        return String(decoding: out, as: UTF8.self)
    }

    static let elementSizes: [String: (Int, Bool)] = [
        "FloatStorage": (4, true), "DoubleStorage": (8, false), "HalfStorage": (2, false), "BFloat16Storage": (2, false),
        "LongStorage": (8, false), "IntStorage": (4, false), "ShortStorage": (2, false), "CharStorage": (1, false),
        "ByteStorage": (1, false), "BoolStorage": (1, false),
    ]

    /// Runs one pickle to its STOP and returns its value.
    mutating func load() throws -> PickleValue {
        var stack: [PickleValue] = []
        var marks: [Int] = []
        var memo: [Int: PickleValue] = [:]
        func pop() throws -> PickleValue {
            guard let v = stack.popLast() else { throw fail("a pickle pops an empty stack") }
            return v
        }
        func popMark() throws -> [PickleValue] {
            guard let m = marks.popLast(), m <= stack.count else { throw fail("a pickle has no mark") }
            defer { stack.removeSubrange(m...) }
            return Array(stack[m...])
        }
        var steps = 0
        while true {
            steps += 1
            if steps > 10_000_000 { throw fail("a pickle does not end") }
            let op = try byte()
            switch op {
            case 0x80: _ = try byte()                                  // PROTO
            case 0x2E: return try pop()                                // STOP
            case 0x7D: stack.append(.dict(PickleDict()))               // EMPTY_DICT
            case 0x5D: stack.append(.list(PickleList()))               // EMPTY_LIST
            case 0x29: stack.append(.tuple([]))                        // EMPTY_TUPLE
            case 0x28: marks.append(stack.count)                       // MARK
            case 0x4E: stack.append(.none)                             // NONE
            case 0x88: stack.append(.bool(true))
            case 0x89: stack.append(.bool(false))
            case 0x4B: stack.append(.int(Int(try byte())))             // BININT1
            case 0x4D: stack.append(.int(try uint(2)))                 // BININT2
            case 0x4A: stack.append(.int(Int(Int32(truncatingIfNeeded: try uint(4)))))  // BININT
            case 0x8A:                                                 // LONG1
                let n = Int(try byte())
                let raw = try take(n)
                guard n <= 8 else { stack.append(.int(0)); continue }
                var v = raw.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
                if n > 0, n < 8, raw.last! & 0x80 != 0 { v |= ~UInt64(0) << (8 * UInt64(n)) }
                stack.append(.int(Int(truncatingIfNeeded: v)))
            case 0x47:                                                 // BINFLOAT (big-endian)
                let raw = try take(8)
                stack.append(.float(Double(bitPattern: raw.reduce(UInt64(0)) { $0 << 8 | UInt64($1) })))
            case 0x58: stack.append(.string(String(decoding: try take(try uint(4)), as: UTF8.self)))  // BINUNICODE
            case 0x8C: stack.append(.string(String(decoding: try take(Int(try byte())), as: UTF8.self)))  // SHORT_BINUNICODE
            case 0x55: stack.append(.string(String(decoding: try take(Int(try byte())), as: UTF8.self)))  // SHORT_BINSTRING
            case 0x54: stack.append(.string(String(decoding: try take(try uint(4)), as: UTF8.self)))      // BINSTRING
            case 0x43: stack.append(.bytes(Array(try take(Int(try byte())))))                              // SHORT_BINBYTES
            case 0x42: stack.append(.bytes(Array(try take(try uint(4)))))                                  // BINBYTES
            case 0x71: memo[Int(try byte())] = stack.last                                                 // BINPUT
            case 0x72: memo[try uint(4)] = stack.last                                                     // LONG_BINPUT
            case 0x68:                                                                                     // BINGET
                guard let v = memo[Int(try byte())] else { throw fail("a pickle refers to a missing memo entry") }
                stack.append(v)
            case 0x6A:                                                                                     // LONG_BINGET
                guard let v = memo[try uint(4)] else { throw fail("a pickle refers to a missing memo entry") }
                stack.append(v)
            case 0x74: stack.append(.tuple(try popMark()))                                                 // TUPLE
            case 0x85: stack.append(.tuple([try pop()]))                                                   // TUPLE1
            case 0x86: let b = try pop(), a = try pop(); stack.append(.tuple([a, b]))                     // TUPLE2
            case 0x87: let c = try pop(), b = try pop(), a = try pop(); stack.append(.tuple([a, b, c]))   // TUPLE3
            case 0x63:                                                                                     // GLOBAL
                let module = try line(), name = try line()
                let full = module + "." + name
                stack.append(Self.elementSizes[name] != nil ? .storageType(name) : .global(full))
            case 0x51:                                                                                     // BINPERSID
                let id = try pop()
                guard case .tuple(let parts) = id, parts.count >= 5, case .string("storage") = parts[0],
                      case .storageType(let type) = parts[1], case .string(let key) = parts[2],
                      let size = Self.elementSizes[type]
                else { throw fail("a persistent id that is not a storage") }
                storageTypes[key] = (size.0, size.1)
                stack.append(.persistent(.string(key)))
            case 0x52:                                                                                     // REDUCE
                let args = try pop(), callable = try pop()
                stack.append(try reduce(callable, args))
            case 0x81:                                                                                     // NEWOBJ
                let args = try pop(), cls = try pop()
                stack.append(try reduce(cls, args))
            case 0x62: _ = try pop()                                                                       // BUILD: state ignored
            case 0x73:                                                                                     // SETITEM
                let value = try pop(), key = try pop()
                guard case .dict(let d) = stack.last else { throw fail("SETITEM on something that is not a dict") }
                d.items.append((key, value))
            case 0x75:                                                                                     // SETITEMS
                let items = try popMark()
                guard case .dict(let d) = stack.last, items.count % 2 == 0 else { throw fail("SETITEMS on something that is not a dict") }
                for i in stride(from: 0, to: items.count, by: 2) { d.items.append((items[i], items[i + 1])) }
            case 0x61:                                                                                     // APPEND
                let value = try pop()
                guard case .list(let l) = stack.last else { throw fail("APPEND on something that is not a list") }
                l.items.append(value)
            case 0x65:                                                                                     // APPENDS
                let items = try popMark()
                guard case .list(let l) = stack.last else { throw fail("APPENDS on something that is not a list") }
                l.items += items
            default:
                throw fail(String(format: "pickle opcode 0x%02X at byte %d is not supported", op, position - 1))
            }
        }
    }

    func reduce(_ callable: PickleValue, _ args: PickleValue) throws -> PickleValue {
        guard case .global(let name) = callable else { return .object("?") }
        switch name {
        case "collections.OrderedDict":
            return .dict(PickleDict())
        case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor":
            guard case .tuple(let a) = args, a.count >= 4, case .persistent(.string(let key)) = a[0], case .int(let offset) = a[1],
                  case .tuple(let size) = a[2], case .tuple(let stride) = a[3]
            else { throw fail("a tensor without storage, offset, size and stride") }
            let ints: ([PickleValue]) throws -> [Int] = { try $0.map { v in
                guard case .int(let i) = v else { throw self.fail("a tensor size that is not an integer") }
                return i
            } }
            return .tensor(PickledTensor(storage: key, offset: offset, shape: try ints(size), stride: try ints(stride)))
        default:
            return .object(name)
        }
    }
}
