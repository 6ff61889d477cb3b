/// What the lowerer knows about a local variable.
struct LocalInfo {
    let index: Int
    let isConstant: Bool
    let type: TypeRef?
    /// A `func … throws` declared here: calls to it need `try`.
    var isThrowingFunction = false
}

/// The locals of one function, closure or cell, as nested block scopes.
/// Slots are never reused, so closures can capture any of them.
final class FunctionScope {
    let parent: FunctionScope?
    let isTopLevel: Bool
    let returnType: TypeRef?
    let name: String
    var blocks: [[String: LocalInfo]] = [[:]]
    var slotCount = 0
    /// For closures without a signature: the `$n` parameters' slots.
    var shorthandSlots: [Int] = []
    /// Labels of enclosing loops and switches, for `break`/`continue`.
    var breakTargets: [(label: String?, isLoop: Bool)] = []
    /// Set when a closure or nested function is defined here: it may keep
    /// this scope's frame alive after the call returns.
    var hasInnerFunctions = false
    /// Set when a closure or nested function is defined inside one of this
    /// scope's blocks (a loop's body, an `if`), not at its top level: it may
    /// read the block's locals after the scope's body has finished.
    var hasFunctionsInBlocks = false
    /// This scope's slots that a closure or function inside it reads (a name
    /// found here from an inner scope): the only ones it may read after the
    /// scope's body has finished.
    var capturedSlots: Set<Int> = []
    /// The body of a loop run in a frame per iteration (`IterationFrameStmt`):
    /// inside a function or cell, never declaring globals.
    var isIteration = false
    /// In an initializer: whether it is failable (`init?`), which may `return nil`.
    var failableInit: Bool?
    /// Locals known to hold a user type (`let t = Tank(…)`), by slot.
    var receiverTypes: [Int: UserType] = [:]

    init(parent: FunctionScope?, isTopLevel: Bool, returnType: TypeRef?, name: String) {
        self.parent = parent
        self.isTopLevel = isTopLevel
        self.returnType = returnType
        self.name = name
    }

    /// Declarations in the cell's outermost block become notebook globals.
    var declaresGlobals: Bool { isTopLevel && !isIteration && blocks.count == 1 }

    func newSlot() -> Int {
        slotCount += 1
        return slotCount - 1
    }

    /// Set while the patterns of one `case a(let x), b(let x):` are lowered:
    /// each pattern binds the same `x`, which the case's body reads.
    var patternsShareNames = false

    func markThrowing(_ name: String) { blocks[blocks.count - 1][name]?.isThrowingFunction = true }

    func declare(_ name: String, constant: Bool, type: TypeRef?) -> Int {
        if patternsShareNames, let existing = blocks[blocks.count - 1][name] { return existing.index }
        let i = newSlot()
        blocks[blocks.count - 1][name] = LocalInfo(index: i, isConstant: constant, type: type)
        return i
    }
}

/// Where a name was found.
enum Resolution {
    case local(depth: Int, LocalInfo)
    case global(GlobalSlot, constant: Bool, type: TypeRef?)
    case builtin(BuiltinFunctionValue)
    case type(String)
}
