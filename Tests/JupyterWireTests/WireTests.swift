@testable import JupyterWire
import Testing

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

@Suite("SHA-256 and HMAC-SHA256 (libsodium)")
struct HashTests {
    @Test func sha256Vectors() {
        #expect(sha256(bytes("abc")).hexString == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(sha256(bytes("")).hexString == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    /// RFC 4231 test cases 1, 2 and 6 (a key longer than the block size), the message fed in parts.
    @Test func hmacRFC4231() {
        #expect(HMACSHA256.mac(key: [UInt8](repeating: 0x0b, count: 20), [bytes("Hi "), bytes("There")]).hexString
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(HMACSHA256.mac(key: bytes("Jefe"), [bytes("what do ya want for nothing?")]).hexString
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(HMACSHA256.mac(key: [UInt8](repeating: 0xaa, count: 131),
                               [bytes("Test Using Larger Than Block-Size Key - Hash Key First")]).hexString
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test func theKeyedStateIsReusedUnchanged() {
        let h = HMACSHA256(key: bytes("Jefe"))
        let parts = [bytes("what do ya want "), bytes("for nothing?")]
        #expect(h.mac(parts) == h.mac(parts))
        #expect(h.mac(parts).hexString == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func signaturesAreCheckedAsHex() {
        let h = HMACSHA256(key: bytes("Jefe"))
        let parts = [bytes("what do ya want for nothing?")]
        let good = bytes("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(h.isValid(good, parts))
        #expect(h.isValid(bytes("5BDCC146BF60754E6A042426089575C75A003F089D2739839DEC58B964EC3843"), parts))
        #expect(!h.isValid(Array(good.dropLast()) + bytes("4"), parts))
        #expect(!h.isValid(Array(good.dropLast()), parts), "an odd number of digits")
        #expect(!h.isValid(Array(good.dropLast(2)) + bytes("zz"), parts), "not hex")
        #expect(!h.isValid(Array(good.dropLast(2)), parts), "too short")
        #expect(!h.isValid([], parts))
    }
}

@Suite("JSON")
struct JSONTests {
    @Test func roundTripKeepsIntsAndSortsKeys() throws {
        let v = try JSON.parse(#"{"b": [1, 2.5, true, null], "a": "x\n\"y\" \u00e9 \ud83d\udc1f", "n": -3}"#)
        #expect(v["n"] == .int(-3))
        #expect(v["a"] == .string("x\n\"y\" é 🐟"))
        #expect(v.text == #"{"a":"x\n\"y\" é 🐟","b":[1,2.5,true,null],"n":-3}"#)
        #expect(try JSON.parse(v.text) == v)
    }

    @Test func malformedInputIsAnError() {
        for bad in ["{", "[1,]", "{\"a\" 1}", "tru", "\"unterminated", "{\"a\":1} x", "01x", "\"\\q\"", ""] {
            #expect(throws: JSONError.self, "\(bad)") { try JSON.parse(bad) }
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONError.self) { try JSON.parse(deep) }
    }
}

@Suite("wire codec")
struct WireCodecTests {
    let codec = WireCodec(key: "secret-key")

    func sample() -> Message {
        Message(identities: [bytes("client-1")],
                header: .object(["msg_id": .string("m1"), "msg_type": .string("execute_request"),
                                 "session": .string("s"), "username": .string("u"),
                                 "date": .string("2026-11-25T12:00:00.000Z"), "version": .string("5.3")]),
                content: .object(["code": .string("print(1)"), "silent": .bool(false)]),
                buffers: [[1, 2, 3]])
    }

    @Test func framesAreIdentitiesDelimiterSignatureJsonAndBuffers() throws {
        let frames = codec.encode(sample())
        #expect(frames.count == 8)
        #expect(frames[0] == bytes("client-1"))
        #expect(frames[1] == bytes("<IDS|MSG>"))
        #expect(frames[2] == Array(HMACSHA256.mac(key: bytes("secret-key"), Array(frames[3...6])).hexString.utf8))
        #expect(frames[7] == [1, 2, 3])
        #expect(try codec.decode(frames) == sample())
    }

    @Test func signatureIsVerifiedOverReceivedBytes() throws {
        // Same JSON, different spacing: the signature must cover the bytes as sent.
        var frames = codec.encode(sample())
        frames[6] = bytes(#"{"code": "print(1)", "silent": false}"#)
        #expect(throws: WireError.badSignature) { try codec.decode(frames) }
        frames[2] = Array(HMACSHA256.mac(key: bytes("secret-key"), Array(frames[3...6])).hexString.utf8)
        #expect(try codec.decode(frames).content["code"] == .string("print(1)"))
    }

    @Test func tamperedOrUnsignedMessagesAreRejected() {
        var frames = codec.encode(sample())
        frames[6] = bytes(#"{"code":"rm -rf /"}"#)
        #expect(throws: WireError.badSignature) { try codec.decode(frames) }
        var unsigned = codec.encode(sample())
        unsigned[2] = []
        #expect(throws: WireError.badSignature) { try codec.decode(unsigned) }
        let other = WireCodec(key: "another-key").encode(sample())
        #expect(throws: WireError.badSignature) { try codec.decode(other) }
    }

    @Test func emptyKeyMeansNoSigning() throws {
        let open = WireCodec(key: "")
        let frames = open.encode(sample())
        #expect(frames[2].isEmpty)
        #expect(try open.decode(frames) == sample())
    }

    @Test func malformedFramesAreClearErrors() {
        #expect(throws: WireError.missingDelimiter) { try codec.decode([bytes("a"), bytes("b")]) }
        #expect(throws: WireError.tooFewFrames(2)) { try codec.decode([bytes("<IDS|MSG>"), [], bytes("{}")]) }
        let open = WireCodec(key: "")
        #expect(throws: WireError.notAnObject(frame: "content")) {
            try open.decode([bytes("<IDS|MSG>"), [], bytes("{}"), bytes("{}"), bytes("{}"), bytes("[1]")])
        }
        do {
            _ = try open.decode([bytes("<IDS|MSG>"), [], bytes("{"), bytes("{}"), bytes("{}"), bytes("{}")])
            Issue.record("expected an error")
        } catch let e as WireError {
            guard case .invalidJSON(frame: "header", _) = e else { Issue.record("wrong error \(e)"); return }
        } catch { Issue.record("wrong error \(error)") }
        var small = WireCodec(key: "")
        small.maxBytes = 10
        #expect(throws: WireError.oversized(30)) {
            try small.decode([bytes("<IDS|MSG>"), [], bytes("{}"), bytes("{}"), bytes("{}"), bytes("{\"x\":\"0123456\"}")])
        }
    }

    @Test func repliesCarryTheParentHeaderAndFreshIds() {
        let parent = sample()
        let a = Message.reply(to: parent, type: "execute_reply", session: "k", content: .object([:]))
        let b = Message.reply(to: parent, type: "execute_reply", session: "k", content: .object([:]))
        #expect(a.parentHeader == parent.header)
        #expect(a.identities == parent.identities)
        #expect(a.msgID != b.msgID && !a.msgID.isEmpty)
        #expect(a.header["version"] == .string("5.3"))
        #expect(a.header["date"]?.string?.hasPrefix("20") == true)
    }

    @Test func datesAreISO8601InUTCWithMicroseconds() {
        #expect(Message.isoDate(seconds: 0, microseconds: 5) == "1970-01-01T00:00:00.000005Z")
        #expect(Message.isoDate(seconds: 1_764_745_337, microseconds: 123_456) == "2025-12-03T07:02:17.123456Z")
        #expect(Message.isoDate(seconds: 951_825_599, microseconds: 999_999) == "2000-02-29T11:59:59.999999Z")
        let now = Message.isoDate()
        #expect(now.count == 27 && now.hasSuffix("Z"))
    }
}

@Suite("connection file")
struct ConnectionInfoTests {
    @Test func parsesAJupyterConnectionFile() throws {
        let json = try JSON.parse(#"""
            {"shell_port": 53001, "iopub_port": 53002, "stdin_port": 53003, "control_port": 53004,
             "hb_port": 53005, "ip": "127.0.0.1", "key": "a0436f6c-1916-498b", "transport": "tcp",
             "signature_scheme": "hmac-sha256", "kernel_name": "shoal"}
            """#)
        let c = try ConnectionInfo(json: json)
        #expect(c.shellPort == 53001 && c.hbPort == 53005)
        #expect(c.key == "a0436f6c-1916-498b")
        #expect(c.endpoint(c.shellPort) == "tcp://127.0.0.1:53001")
    }

    @Test func ipcEndpoints() throws {
        let json = try JSON.parse(#"{"shell_port":1,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5,"ip":"/tmp/k","transport":"ipc","key":""}"#)
        #expect(try ConnectionInfo(json: json).endpoint(2) == "ipc:///tmp/k-2")
    }

    @Test func badFilesAreClearErrors() throws {
        #expect(throws: ConnectionFileError.self) { try ConnectionInfo(json: try JSON.parse(#"{"shell_port": "x"}"#)) }
        #expect(throws: ConnectionFileError.self) { try ConnectionInfo(path: "/nonexistent/kernel.json") }
        let json = try JSON.parse(#"{"shell_port":1,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5,"transport":"udp"}"#)
        #expect(throws: ConnectionFileError("unknown transport 'udp'")) { try ConnectionInfo(json: json) }
    }
}
