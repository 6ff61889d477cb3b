import Foundation

/// One Jupyter message (messaging protocol 5.3), with the routing
/// identities it arrived with and any binary buffers.
public struct Message: Equatable, Sendable {
    public var identities: [[UInt8]]
    public var header: JSON
    public var parentHeader: JSON
    public var metadata: JSON
    public var content: JSON
    public var buffers: [[UInt8]]

    public init(identities: [[UInt8]] = [], header: JSON, parentHeader: JSON = .object([:]),
                metadata: JSON = .object([:]), content: JSON = .object([:]), buffers: [[UInt8]] = []) {
        self.identities = identities
        self.header = header
        self.parentHeader = parentHeader
        self.metadata = metadata
        self.content = content
        self.buffers = buffers
    }

    public var msgType: String { header["msg_type"]?.string ?? "" }
    public var msgID: String { header["msg_id"]?.string ?? "" }

    /// A new header: a fresh UUID, the current time in ISO 8601, protocol 5.3.
    public static func header(type: String, session: String, username: String = "kernel") -> JSON {
        .object([
            "msg_id": .string(newID()),
            "session": .string(session),
            "username": .string(username),
            "date": .string(isoDate()),
            "msg_type": .string(type),
            "version": .string("5.3"),
        ])
    }

    /// A random (version 4) UUID in lower case, from the system's random
    /// source (`getrandom`): Foundation's `UUID()` opened, read and closed
    /// /dev/urandom for each one, three system calls on every message.
    public static func newID() -> String {
        var random = SystemRandomNumberGenerator()
        let high = random.next() & ~0xF000 | 0x4000          // version 4
        let low = random.next() & ~(0xC << 60) | (0x8 << 60)   // RFC 4122 variant
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        func put(_ value: UInt64, from: Int, to: Int) {
            for i in stride(from: from, to: to, by: -4) { out.append(hex[Int(value >> UInt64(i - 4) & 0xF)]) }
        }
        put(high, from: 64, to: 32); out.append(UInt8(ascii: "-"))
        put(high, from: 32, to: 16); out.append(UInt8(ascii: "-"))
        put(high, from: 16, to: 0); out.append(UInt8(ascii: "-"))
        put(low, from: 64, to: 48); out.append(UInt8(ascii: "-"))
        put(low, from: 48, to: 0)
        return String(decoding: out, as: UTF8.self)
    }

    /// A reply or output caused by `parent`, carrying its header as parent header.
    public static func reply(to parent: Message, type: String, session: String, content: JSON,
                             metadata: JSON = .object([:])) -> Message {
        Message(identities: parent.identities, header: header(type: type, session: session),
                parentHeader: parent.header, metadata: metadata, content: content)
    }

    /// The current UTC time as ISO 8601 with microseconds, e.g.
    /// `2026-12-03T07:02:17.123456Z`. Written by hand from the system clock:
    /// a date formatter per message would load ICU's calendar data into
    /// every kernel and cost tens of microseconds on each message.
    static func isoDate() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return isoDate(seconds: Int(ts.tv_sec), microseconds: Int(ts.tv_nsec) / 1000)
    }

    static func isoDate(seconds: Int, microseconds: Int) -> String {
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        var out: [UInt8] = []
        out.reserveCapacity(27)
        func put(_ value: Int, _ digits: Int) {
            var divisor = 1
            for _ in 1..<digits { divisor *= 10 }
            var v = value
            while divisor > 0 {
                out.append(UInt8(ascii: "0") + UInt8(v / divisor % 10))
                v %= divisor
                divisor /= 10
            }
        }
        put(Int(parts.tm_year) + 1900, 4); out.append(UInt8(ascii: "-"))
        put(Int(parts.tm_mon) + 1, 2); out.append(UInt8(ascii: "-"))
        put(Int(parts.tm_mday), 2); out.append(UInt8(ascii: "T"))
        put(Int(parts.tm_hour), 2); out.append(UInt8(ascii: ":"))
        put(Int(parts.tm_min), 2); out.append(UInt8(ascii: ":"))
        put(Int(parts.tm_sec), 2); out.append(UInt8(ascii: "."))
        put(microseconds, 6); out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }
}

/// What can be wrong with frames that arrive on a socket.
public enum WireError: Error, Equatable, CustomStringConvertible {
    case missingDelimiter
    case tooFewFrames(Int)
    case badSignature
    case invalidJSON(frame: String, JSONError)
    case notAnObject(frame: String)
    case oversized(Int)

    public var description: String {
        switch self {
        case .missingDelimiter: return "no <IDS|MSG> delimiter among the frames"
        case .tooFewFrames(let n): return "a message needs 5 frames after the delimiter, got \(n)"
        case .badSignature: return "the message signature does not match"
        case .invalidJSON(let frame, let e): return "the \(frame) frame is not valid JSON (\(e))"
        case .notAnObject(let frame): return "the \(frame) frame is not a JSON object"
        case .oversized(let n): return "the message is \(n) bytes, larger than the limit"
        }
    }
}

/// Turns messages into signed frames and frames back into verified messages.
public struct WireCodec: Sendable {
    public static let delimiter = Array("<IDS|MSG>".utf8)
    public let key: [UInt8]
    private let hmac: HMACSHA256
    /// Largest message accepted, in bytes (all frames together).
    public var maxBytes = 256 << 20

    public init(key: String) {
        self.key = Array(key.utf8)
        hmac = HMACSHA256(key: self.key)
    }

    /// Lowercase hex HMAC-SHA256 of the four JSON frames; empty without a key.
    public func signature(_ parts: [[UInt8]]) -> [UInt8] {
        guard !key.isEmpty else { return [] }
        return Array(hmac.mac(parts).hexString.utf8)
    }

    public func encode(_ m: Message) -> [[UInt8]] {
        let parts = [m.header.bytes, m.parentHeader.bytes, m.metadata.bytes, m.content.bytes]
        return m.identities + [WireCodec.delimiter, signature(parts)] + parts + m.buffers
    }

    /// Decodes frames, verifying the signature over the bytes as received.
    public func decode(_ frames: [[UInt8]]) throws -> Message {
        let total = frames.reduce(0) { $0 + $1.count }
        if total > maxBytes { throw WireError.oversized(total) }
        guard let d = frames.firstIndex(of: WireCodec.delimiter) else { throw WireError.missingDelimiter }
        let rest = Array(frames[(d + 1)...])
        guard rest.count >= 5 else { throw WireError.tooFewFrames(rest.count) }
        let parts = Array(rest[1...4])
        if !key.isEmpty {
            guard hmac.isValid(rest[0], parts) else { throw WireError.badSignature }
        }
        let names = ["header", "parent_header", "metadata", "content"]
        var values: [JSON] = []
        for (name, part) in zip(names, parts) {
            let v: JSON
            do { v = try JSON.parse(part) } catch let e as JSONError { throw WireError.invalidJSON(frame: name, e) }
            guard case .object = v else { throw WireError.notAnObject(frame: name) }
            values.append(v)
        }
        return Message(identities: Array(frames[..<d]), header: values[0], parentHeader: values[1],
                       metadata: values[2], content: values[3], buffers: Array(rest.dropFirst(5)))
    }
}

/// The connection file Jupyter writes for a kernel.
public struct ConnectionInfo: Equatable, Sendable {
    public var transport: String
    public var ip: String
    public var shellPort: Int
    public var iopubPort: Int
    public var stdinPort: Int
    public var controlPort: Int
    public var hbPort: Int
    public var key: String
    public var signatureScheme: String

    public init(json: JSON) throws {
        func port(_ name: String) throws -> Int {
            guard let p = json[name]?.int, (0...65535).contains(p) else {
                throw ConnectionFileError("'\(name)' must be a port number")
            }
            return p
        }
        transport = json["transport"]?.string ?? "tcp"
        guard ["tcp", "ipc"].contains(transport) else { throw ConnectionFileError("unknown transport '\(transport)'") }
        ip = json["ip"]?.string ?? "127.0.0.1"
        shellPort = try port("shell_port")
        iopubPort = try port("iopub_port")
        stdinPort = try port("stdin_port")
        controlPort = try port("control_port")
        hbPort = try port("hb_port")
        key = json["key"]?.string ?? ""
        signatureScheme = json["signature_scheme"]?.string ?? "hmac-sha256"
        guard signatureScheme == "hmac-sha256" || key.isEmpty else {
            throw ConnectionFileError("unsupported signature scheme '\(signatureScheme)'")
        }
    }

    /// Reads and checks a connection file.
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConnectionFileError("cannot read the connection file '\(path)'")
        }
        do { try self.init(json: try JSON.parse(Array(data))) } catch let e as JSONError {
            throw ConnectionFileError("the connection file '\(path)' is not valid JSON: \(e)")
        }
    }

    /// The ZeroMQ endpoint for a port: `tcp://ip:port` or `ipc://ip-port`.
    public func endpoint(_ port: Int) -> String {
        transport == "ipc" ? "ipc://\(ip)-\(port)" : "tcp://\(ip):\(port)"
    }
}

public struct ConnectionFileError: Error, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}
