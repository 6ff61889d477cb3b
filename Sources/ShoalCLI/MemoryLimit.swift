import ArgumentParser
import Foundation
import KernelMemory

/// The kernel's memory limit: `--memory SIZE` (`shoal kernel`, `shoal exec`,
/// written into the kernelspec by `shoal install --memory`), else the
/// `MEM_LIMIT` environment variable (JupyterHub passes each learner's limit
/// so), else none. With a limit, everything cells make counts against seven
/// eighths of it (`MemoryBudget.budget(forLimit:)`); without one, against
/// `MemoryBudget.defaultLimit` (half the machine, or less under a control
/// group or an address-space limit).
enum MemoryLimit {
    /// Sets the budget from the limit, when there is one, and returns the limit
    /// (for `MemoryGuard`, the backstop past it).
    @discardableResult
    static func configure(_ option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Int? {
        guard let limit = try bytes(option, environment: environment) else { return nil }
        MemoryBudget.limit = MemoryBudget.budget(forLimit: limit)
        return limit
    }

    /// The limit in bytes, when one is given.
    static func bytes(_ option: String?, environment: [String: String]) throws -> Int? {
        if let option {
            guard let n = MemoryBudget.parseSize(option), n >= 64 << 20 else {
                throw ValidationError("--memory takes a size of at least 64M, such as 2G or 1500M, not '\(option)'")
            }
            return n
        }
        guard let text = environment["MEM_LIMIT"], !text.isEmpty else { return nil }
        return MemoryBudget.parseSize(text).map { max(64 << 20, $0) }
    }
}
