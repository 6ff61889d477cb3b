import ArgumentParser
#if canImport(Glibc)
import CMalloc
#endif

/// The `shoal` command: run cells, serve notebooks, author and grade lessons.
public struct ShoalCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "shoal",
        abstract: "A Swift notebook kernel for learning model training.",
        subcommands: [ExecCommand.self, KernelCommand.self, InstallCommand.self, ModelsCommand.self, StudentCommand.self,
                      ValidateCommand.self, GradeCommand.self, AuthorCommand.self, TextCommand.self]
    )

    public init() {}

    /// Runs the command line. `shoal kernel --connection-file FILE`, the line
    /// every kernelspec starts, is recognised directly: argument-parser's
    /// reflection over every subcommand costs a kernel's cold start about
    /// 10 ms and a megabyte of resident memory. Anything else (and any
    /// other spelling of the kernel command) goes through the parser.
    public static func mainEntry(_ arguments: [String] = CommandLine.arguments) {
        keepFreedMemoryForReuse()
        let rest = Array(arguments.dropFirst())
        let memory = rest.count == 5 && rest[3] == "--memory" ? rest[4] : nil
        if rest.count == 3 || memory != nil, rest[0] == "kernel", rest[1] == "--connection-file" || rest[1] == "-f" {
            do {
                try KernelCommand.serve(connectionFile: rest[2], memory: memory)
            } catch {
                KernelCommand.exit(withError: error)
            }
            return
        }
        main()
    }
}

extension ShoalCommand {
    /// Lets the process reuse the memory a cell freed instead of handing it
    /// back to the system and faulting it in again. glibc serves blocks above
    /// its mmap threshold (128 KiB at start) with their own mappings and
    /// unmaps them on free, and gives the heap's free top back above its trim
    /// threshold; a cell that builds a few 100,000-element arrays then pays a
    /// page fault for every 4 KiB of every new array, again on every run (a
    /// sixth of `xs.map { … }.filter { … }`'s time). Arrays up to 4 MiB now
    /// come from the heap, and up to 32 MiB of freed heap stays with the
    /// process (tensors have their own pool; the memory budget counts
    /// logical bytes, not this). Measured in benchmarks/README.md.
    static func keepFreedMemoryForReuse() {
        #if canImport(Glibc)
        _ = mallopt(M_MMAP_THRESHOLD, 4 << 20)
        _ = mallopt(M_TRIM_THRESHOLD, 32 << 20)
        #endif
    }
}

