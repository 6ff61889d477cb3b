import CSodium

/// HMAC-SHA256 and SHA-256 from libsodium (already in every kernel's
/// process through libzmq): Jupyter's message signatures, and checksums of
/// downloaded files. See benchmarks/README.md for why libsodium rather than
/// swift-crypto.
public enum Sodium {
    /// libsodium picks its implementations once; safe to call from any thread.
    static let ready: Bool = sodium_init() >= 0
}

/// HMAC-SHA256 keyed once, fed message frames in order.
public struct HMACSHA256: @unchecked Sendable {
    private var keyed = crypto_auth_hmacsha256_state()

    public init(key: [UInt8]) {
        _ = Sodium.ready
        _ = crypto_auth_hmacsha256_init(&keyed, key, key.count)
    }

    /// The MAC of `parts`, fed in order (the keyed state is copied, not changed).
    public func mac(_ parts: [[UInt8]]) -> [UInt8] {
        var state = keyed
        for p in parts { _ = crypto_auth_hmacsha256_update(&state, p, UInt64(p.count)) }
        var out = [UInt8](repeating: 0, count: Int(crypto_auth_hmacsha256_BYTES))
        _ = crypto_auth_hmacsha256_final(&state, &out)
        return out
    }

    public static func mac(key: [UInt8], _ parts: [[UInt8]]) -> [UInt8] { HMACSHA256(key: key).mac(parts) }

    /// Whether `hexSignature` (hex digits, either case) is the MAC of
    /// `parts`, compared in constant time by libsodium.
    public func isValid(_ hexSignature: [UInt8], _ parts: [[UInt8]]) -> Bool {
        guard let received = hexSignature.hexDecoded(), received.count == Int(crypto_auth_hmacsha256_BYTES) else { return false }
        return crypto_verify_32(mac(parts), received) == 0
    }
}

/// SHA-256 of a byte string.
public func sha256(_ bytes: [UInt8]) -> [UInt8] {
    _ = Sodium.ready
    var out = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_BYTES))
    _ = crypto_hash_sha256(&out, bytes, UInt64(bytes.count))
    return out
}

extension Array where Element == UInt8 {
    /// Lowercase hexadecimal, as Jupyter writes signatures.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(count * 2)
        for b in self {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes these hex digits spell; nil for an odd count or a non-hex digit.
    func hexDecoded() -> [UInt8]? {
        guard count % 2 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(count / 2)
        var i = 0
        while i < count {
            guard let hi = value(self[i]), let lo = value(self[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }
}
