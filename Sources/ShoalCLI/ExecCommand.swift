import ArgumentParser
import CellIO
import Foundation
import Practice

/// `shoal exec FILE.swift [--cells]`: runs a file through one Session and
/// prints what a notebook would show.
struct ExecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a .swift file of cells and print what a notebook would show.",
        discussion: """
            With --cells, each line starting with `// %%` begins a new cell, as in jupytext's \
            percent format. Errors are printed like the Swift compiler's and the exit status is 1.
            """
    )

    @Argument(help: "The .swift file to run ('-' reads standard input).")
    var file: String

    @Flag(name: .long, help: "Split the file into cells at '// %%' lines.")
    var cells = false

    @Flag(name: .long, help: "Keep running the remaining cells after an error.")
    var keepGoing = false

    @Flag(name: .long, help: "Print each cell's run time (milliseconds) to standard error.")
    var timing = false

    @Option(name: .long, help: "The memory limit, such as 2G (default: MEM_LIMIT, else half the machine's memory).")
    var memory: String?

    func run() throws {
        try MemoryLimit.configure(memory)
        let text: String
        if file == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ValidationError("cannot read '\(file)': no such file or it is not readable")
            }
            text = String(decoding: data, as: UTF8.self)
        }
        let session = Session()
        session.sourceName = file == "-" ? "<stdin>" : file
        let sink = TerminalSink()
        var failed = false
        for (index, cell) in CellFile(text: text, splitCells: cells).cells.enumerated() {
            let start = DispatchTime.now().uptimeNanoseconds
            let result = session.execute(cell.source, sink: sink, lineOffset: cell.lineOffset)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            if timing { sink.write("timing: cell \(index + 1): \(String(format: "%.3f", elapsed)) ms\n", to: .stderr) }
            sink.flush()
            if let value = result.value {
                sink.write(value.plainText + "\n", to: .stdout)
            }
            if let error = result.error {
                sink.write(error.text + "\n", to: .stderr)
                failed = true
                if !keepGoing { break }
            }
        }
        sink.flush()
        if failed { throw ExitCode(1) }
    }
}

/// Prints cell output to the terminal.
final class TerminalSink: OutputSink {
    func write(_ text: String, to stream: OutputStreamName) {
        let handle = stream == .stdout ? FileHandle.standardOutput : FileHandle.standardError
        if stream == .stderr { flush() }
        handle.write(Data(text.utf8))
    }
    func display(_ display: Display, id: String?, update: Bool) {
        write(display.plainText + "\n", to: .stdout)
    }
    func clearOutput(wait: Bool) {}
    /// A terminal cannot replace what it printed: live displays print a line per step instead.
    var showsLiveDisplays: Bool { false }
    func readLine(prompt: String) -> String? {
        if !prompt.isEmpty { write(prompt, to: .stdout) }
        return Swift.readLine() ?? ""
    }
    func flush() {}
}
