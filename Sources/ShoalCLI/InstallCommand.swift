import ArgumentParser
import Foundation

/// `shoal install`: installs the kernelspec the way other kernels are installed.
struct InstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install the Shoal kernelspec so Jupyter can start Shoal.",
        discussion: """
            By default the kernelspec goes to your Jupyter data directory (--user). Use --sys-prefix \
            for the active Python environment (a venv's share/jupyter), or --prefix DIR for DIR/share/jupyter.
            """
    )

    @Flag(name: .long, help: "Install for the current user (default).")
    var user = false

    @Flag(name: .long, help: "Install into the active Python environment (sys.prefix).")
    var sysPrefix = false

    @Option(name: .long, help: "Install into DIR/share/jupyter/kernels.")
    var prefix: String?

    @Option(name: .long, help: "A memory limit for every kernel started from this kernelspec, such as 2G.")
    var memory: String?

    func run() throws {
        let choices = [user, sysPrefix, prefix != nil].filter { $0 }.count
        guard choices <= 1 else { throw ValidationError("choose one of --user, --sys-prefix and --prefix") }
        let base: String
        if let prefix {
            base = prefix + "/share/jupyter"
        } else if sysPrefix {
            base = try InstallCommand.pythonPrefix() + "/share/jupyter"
        } else {
            base = ProcessInfo.processInfo.environment["JUPYTER_DATA_DIR"]
                ?? (NSHomeDirectory() + "/.local/share/jupyter")
        }
        let destination = base + "/kernels/shoal"
        if let memory { _ = try MemoryLimit.bytes(memory, environment: [:]) }
        try KernelSpec.write(to: destination, memory: memory)
        print("Installed the Shoal kernelspec in \(destination)")
    }

    /// The active Python's sys.prefix (the venv when one is active).
    static func pythonPrefix() throws -> String {
        if let venv = ProcessInfo.processInfo.environment["VIRTUAL_ENV"], !venv.isEmpty { return venv }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import sys; print(sys.prefix)"]
        let out = Pipe()
        p.standardOutput = out
        do { try p.run() } catch { throw ValidationError("--sys-prefix needs python3: \(error)") }
        p.waitUntilExit()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard p.terminationStatus == 0, !text.isEmpty else { throw ValidationError("could not ask python3 for sys.prefix") }
        return text
    }
}

enum KernelSpec {
    /// The running `shoal` binary, so the kernelspec works without PATH.
    static var executable: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
    }

    /// The repository's `kernelspec/shoal` folder (for the logos), found from the binary's location.
    static var sourceFolder: String? {
        var dir = URL(fileURLWithPath: executable).deletingLastPathComponent()
        for _ in 0..<5 {
            let candidate = dir.appendingPathComponent("kernelspec/shoal")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("logo-64x64.png").path) {
                return candidate.path
            }
            dir.deleteLastPathComponent()
        }
        return nil
    }

    static func json(executable: String, memory: String? = nil) -> String {
        let limit = memory.map { ", \"--memory\", \"\($0)\"" } ?? ""
        return """
        {
          "argv": ["\(executable)", "kernel", "--connection-file", "{connection_file}"\(limit)],
          "display_name": "Swift (Shoal)",
          "language": "swift",
          "interrupt_mode": "message",
          "metadata": {"debugger": false}
        }

        """
    }

    static func write(to destination: String, memory: String? = nil) throws {
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: destination, withIntermediateDirectories: true)
            try json(executable: executable, memory: memory).write(toFile: destination + "/kernel.json", atomically: true, encoding: .utf8)
        } catch {
            throw ValidationError("cannot write the kernelspec to \(destination): \(error.localizedDescription)")
        }
        if let source = sourceFolder {
            for logo in ["logo-32x32.png", "logo-64x64.png"] {
                try? fm.removeItem(atPath: destination + "/" + logo)
                try? fm.copyItem(atPath: source + "/" + logo, toPath: destination + "/" + logo)
            }
        } else {
            FileHandle.standardError.write(Data("warning: kernelspec/shoal not found; installed without logos\n".utf8))
        }
    }
}
