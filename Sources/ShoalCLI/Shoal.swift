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
}
