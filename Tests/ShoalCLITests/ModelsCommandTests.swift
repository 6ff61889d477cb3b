import Foundation
import Testing

@Suite("shoal models")
struct ModelsCommandTests {
    /// Offline (here: a Python whose pip cannot install anything), the command
    /// says what to do instead of failing obscurely, and writes nothing.
    @Test func withoutNetworkItSaysWhatToDo() throws {
        let cache = NSTemporaryDirectory() + "shoal-cache-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let fakePython = NSTemporaryDirectory() + "no-network-python-\(UUID().uuidString)"
        try "#!/bin/sh\necho 'ERROR: Could not find a version that satisfies the requirement (network is unreachable)' >&2\nexit 1\n"
            .write(toFile: fakePython, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fakePython)
        defer { try? FileManager.default.removeItem(atPath: fakePython) }
        let r = try runShoal(["models", "fetch", "--python", fakePython], environment: ["XDG_CACHE_HOME": cache])
        #expect(r.status != 0)
        #expect(r.stderr.contains("no network?"))
        #expect(r.stderr.contains("shoal models fetch --file PATH"))
        #expect(!FileManager.default.fileExists(atPath: cache + "/shoal/efficientnet-lite0.safetensors"))
    }

    @Test func aDamagedWeightsFileIsRefusedByItsChecksum() throws {
        let cache = NSTemporaryDirectory() + "shoal-cache-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let bogus = NSTemporaryDirectory() + "efficientnet-lite0-57934424.pth"
        try Data(repeating: 7, count: 1000).write(to: URL(fileURLWithPath: bogus))
        defer { try? FileManager.default.removeItem(atPath: bogus) }
        let r = try runShoal(["models", "fetch", "--file", bogus], environment: ["XDG_CACHE_HOME": cache])
        #expect(r.status != 0)
        #expect(r.stderr.contains("it is damaged or a different file"))
    }
}
