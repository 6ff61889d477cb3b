import ArgumentParser

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
