/// A function body compiled from the tree into register code, so that calls
/// and loops run without walking nodes or counting references.
///
/// Registers are the function's frame slots (the lowerer's numbering) followed
/// by temporaries. Whatever the compiler does not turn into instructions stays
/// a tree node that runs against the same registers (`evalExpr`, `execStmt`),
/// so every construct keeps exactly one implementation of its semantics.
enum Op: UInt8 {
    /// r[a] = r[b]
    case move
    /// r[a] = constants[b]
    case loadConst
    /// r[a] = globals[b] (node c reports a use before declaration)
    case loadGlobal
    /// r[a] = r[b] <sub> r[c]; binaries[k] holds the node
    case binary
    /// r[a] = r[b] <sub> k; binaries[c] holds the node
    case binaryConst
    /// r[a] = r[b] <sub> the Double whose bits are k (a Double literal); binaries[c] holds the node
    case doubleConst
    /// if !(r[a] <sub> r[b]) { pc = c }; binaries[k] holds the node
    case compareJump
    /// if !(r[a] <sub> k) { pc = b }; binaries[c] holds the node
    case compareConstJump
    /// The Int cases of `binary` and `binaryConst` as instructions of their
    /// own (one indirect jump per instruction predicts far better than a
    /// second switch on the operator); other operands take the general path.
    case add, subtract, multiply, addConst, subtractConst, multiplyConst
    /// `compareJump` (c: target, k: node) and `compareConstJump` (b: target,
    /// c: node) for each comparison.
    case jumpUnlessLess, jumpUnlessLessEqual, jumpUnlessGreater, jumpUnlessGreaterEqual, jumpUnlessEqual, jumpUnlessNotEqual
    case jumpUnlessLessConst, jumpUnlessLessEqualConst, jumpUnlessGreaterConst, jumpUnlessGreaterEqualConst
    case jumpUnlessEqualConst, jumpUnlessNotEqualConst
    /// pc = a
    case jump
    /// if r[a] is false { pc = b }; exprs[c] is the condition (for its error)
    case jumpIfFalse
    /// if r[a] is true { pc = b }; exprs[c] is the condition
    case jumpIfTrue
    /// `let name = optional` in a condition: r[c] (a local) = what r[a] wraps, or pc = b when it is nil;
    /// exprs[k] is the optional's expression (a value that is not an optional is its error);
    /// sub 1 (`a ?? b`): a value that is not an optional goes into r[c] as it is
    case unwrapJump
    /// r[a] = .bool(bool(r[b])); exprs[c] is the operand
    case toBool
    /// r[a] = !r[b]; exprs[c] is the operand
    case not
    /// r[a] = -r[b]; exprs[c] is the negation
    case negate
    /// checks the callee of callSites[b] before its arguments are evaluated
    case callPrepare
    /// r[a] = callSites[b](arguments)
    case call
    /// r[a] = exprs[b].eval(...)
    case evalExpr
    /// runs stmts[b]; loops[c] (or -1) is the innermost compiled loop around it
    case execStmt
    /// if !(stmts[b] (a switch) case k >> 16, pattern k & 0xFFFF matches r[a], binding as the tree does) { pc = c };
    /// sub 1: no case matched, fail as the tree's switch does
    case matchPattern
    /// as `matchPattern` (b, c, k & 0xFFFFFFFF), the pattern an enum case
    /// matched by caseSites[k >> 32] (see `CaseSite`)
    case matchCase
    /// r[a] = coerced r[a] to types[b]; exprs[c] is the value (for its error)
    case coerce
    /// r[a] (a local, no steps) = r[b] checked as `AssignExpr` checks; assigns[c]
    case assignLocal
    /// r[a] (a local) <sub>= r[b]; compounds[c]
    case compoundLocal
    /// r[a] (a local) <sub>= k, an Int literal; compounds[c]
    case compoundLocalConst
    /// globals[a] <sub>= r[b]; compounds[c]
    case compoundGlobal
    /// globals[a] <sub>= k, an Int literal; compounds[c]
    case compoundGlobalConst
    /// globals[a] (no steps) = r[b] checked as `AssignExpr` checks; assigns[c]
    case assignGlobal
    /// r[a] = r[b][r[c]] (one unlabeled subscript); exprs[k] is the node;
    /// sub 1: r[b] is a temporary, emptied after (so it keeps no second
    /// reference to an array the program goes on to change)
    case index
    /// r[a] = globals[b][r[c]]; exprs[k] is the node
    case indexGlobal
    /// r[a] = r[b].count; exprs[k] is the `MemberExpr`; sub 1: r[b] is a temporary
    case count
    /// r[a] = globals[b].count; exprs[k] is the `MemberExpr`
    case countGlobal
    /// root[r[c]] = r[b] in place; root: register a (sub 0) or globals[a]
    /// (sub 1); assigns[k] is the node
    case setElement
    /// root[r[c]] <op>= r[b] in place (sub bit 1: `[r[c], default: r[c + 1]]`);
    /// root: register a or globals[a] (sub bit 0); sub >> 2: the operator's
    /// `BinaryOp.code`; compounds[k] is the node
    case compoundElement
    /// root.append(r[b]) in place, emptying r[b]; r[a] = void; root: register
    /// c (sub 0) or globals[c] (sub 1); exprs[k] is the `MethodCallExpr`
    case append
    /// r[a] = the string of the `InterpolationExpr` at address k (kept in exprs) with its pieces' values from r[b...]
    case interpolate
    /// r[a] = exprs[k] (a `BuiltinCallExpr`) called with the arguments in r[b...], which it empties;
    /// sub 1: the call is `abs(x)`, done here while x is an Int other than Int.min; sub 2:
    /// `Double(x)` on an Int or Double; sub 3: `Int(x)` on an Int or a Double Int can hold
    case callBuiltin
    /// r[a] = exprs[k] (an `ArrayLiteralExpr`) of the elements in r[b...], which it empties
    case arrayLiteral
    /// r[a] = the range r[b]..<r[b + 1] (sub 1: r[b]...r[b + 1]) of the `RangeExpr` exprs[k]
    case makeRange
    /// r[b ..< b + 3] = the iteration state of the sequence r[a]; empty: pc = c; fors[k];
    /// sub 1: an Int range is made an array first, as the tree does for a tuple or global target;
    /// sub 2: `for (i, x) in r[a].enumerated()`, state r[b ..< b + 5] (see `CodeBuilder.enumeratedLoop`);
    /// sub 3 (`..<`), 4 (`...`): r[a] and r[a + 1] are the bounds of the range literal, counted in place
    case forPrepare
    /// r[b] = the current element of the iteration state r[a ..< a + 3]; ticks; fors[c];
    /// sub 1: then r[b] (a temporary) is bound to the loop's tuple or global target;
    /// sub 2: r[b] = the offset and r[k] = the element (-1: not bound) of an `enumerated()` loop
    case forBind
    /// the next element of the state r[a ..< a + 3]: pc = b, or falls through at the end
    case forStep
    /// a loop back-edge: counts a step and checks for interrupts (ranges[a] locates them)
    case tick
    /// a `while` loop's back edge: `tick` (ranges[b] locates it), then pc = a
    case tickJump
    /// r[a] = the slot c of the frame b scopes out (an `OuterGet`)
    case loadOuter
    /// r[a] = r[b].name, exprs[k] (a `MemberExpr`); sub 1: r[b] is a temporary, emptied first;
    /// sub 2: r[a] = the `MemberChain` at address k (kept in exprs) read from r[b]; sub 3: from the slot c of the
    /// frame b scopes out
    case member
    /// placeSites[b] changed with the values from r[c...], then the keys (see
    /// `Machine.changePlace`); r[a] = the result; k: the root's scope depth
    /// when it is an outer variable (else -1); sub 0: `=`, 1: `op=`, 2: a mutating call
    case changePlace
    /// r[a] goes into a collection of Ints (sub 1), Strings (2) or Bools (3):
    /// another type is the `ElementTypeCheck` at address k's error
    case checkElement
    /// returns r[a], checked as returnChecks[b] says
    case ret
    /// falls off the end of the body (an error when the function returns a value)
    case end
    /// `guard` whose `else` fell through: guards[a] reports it
    case guardFellThrough
}

struct Instruction {
    var op: Op
    var sub: UInt8 = 0
    var a: Int32 = 0
    var b: Int32 = 0
    var c: Int32 = 0
    var k: Int = 0
}

/// A compiled loop, for `break` and `continue` coming out of tree statements.
struct CompiledLoop {
    let label: String?
    var breakTarget: Int
    var continueTarget: Int
    let parent: Int
}

/// Bit i set: argument i is a literal (for the first 64 arguments).
func literalMask(_ literals: [Bool]) -> UInt64 {
    var mask: UInt64 = 0
    for (i, literal) in literals.enumerated() where literal && i < 64 { mask |= 1 << UInt64(i) }
    return mask
}

/// A call site's cache: the constant global it calls through, and the
/// function and code that global held when the cache was filled. The
/// unretained references are used only while the global's version is the
/// one cached: a constant global cannot be rebound while a call runs.
struct CallSite {
    let node: CallExpr
    /// The notebook-level function called, retained by `node`.
    let slot: Unmanaged<GlobalSlot>?
    let argumentBase: Int32
    let argumentCount: Int32
    /// The callee's register when it is not a notebook-level function.
    let calleeRegister: Int32
    /// Bit i: argument i is a literal (an Int literal may become a Double).
    let literals: UInt64
    let range: SourceRange
    var version = -1
    var function: Unmanaged<UserFunction>?
    var code: Unmanaged<Code>?

    init(node: CallExpr, argumentBase: Int, calleeRegister: Int) {
        self.node = node
        slot = node.globalCallee.map { Unmanaged.passUnretained($0) }
        self.argumentBase = Int32(argumentBase)
        argumentCount = Int32(node.args.count)
        self.calleeRegister = Int32(calleeRegister)
        literals = literalMask(node.literals)
        range = node.range
    }
}

/// How a `return` (or a single-expression body) checks its value.
struct ReturnCheck {
    let hasValue: Bool
    let fast: FastType?
    let type: TypeRef?
    let literal: Bool
    let range: SourceRange
    /// A value with no type to check against (a closure's `$0 * 2`): returned as it is.
    let unchecked: Bool

    init(_ r: ReturnStmt) {
        hasValue = r.hasValue
        fast = r.fast
        type = r.returnType
        literal = r.value.isLiteral
        range = r.value.range
        unchecked = hasValue && fast == nil && type == nil
    }

    init(implicitResult e: Expr, of decl: FunctionDecl) {
        hasValue = true
        fast = decl.returnFast
        type = decl.returnType
        literal = e.isLiteral
        range = e.range
        unchecked = fast == nil && type == nil
    }
}

final class Code {
    /// The function compiled; it owns this code.
    unowned(unsafe) let decl: FunctionDecl
    let parameterCount: Int
    /// Falling off the end of the body returns `()` (no result type, or Void).
    let endsWithVoid: Bool
    let parameterSlots: UnsafeMutablePointer<Int>
    let parameterFast: UnsafeMutablePointer<FastType>
    /// Parameter i is register i (so a caller's argument registers can be the callee's).
    let parametersLead: Bool
    let instructions: UnsafeMutablePointer<Instruction>
    let instructionCount: Int
    /// Registers the body uses: its locals, then temporaries.
    let registerCount: Int
    let constants: UnsafeMutablePointer<Value>
    let constantCount: Int
    let globals: [GlobalSlot]
    /// `globals`, unretained, for the loop (the array keeps them alive).
    let globalRefs: UnsafeMutablePointer<Unmanaged<GlobalSlot>>
    let binaries: [BinaryExpr]
    let exprs: [Expr]
    let stmts: [Stmt]
    let types: [TypeRef]
    let returnChecks: UnsafeMutablePointer<ReturnCheck>
    let returnCount: Int
    let assigns: [AssignExpr]
    let compounds: [CompoundAssignExpr]
    let fors: [ForInStmt]
    let guards: [GuardStmt]
    let ranges: [SourceRange]
    let loops: [CompiledLoop]
    let callSites: UnsafeMutablePointer<CallSite>
    let callSiteCount: Int
    let placeSites: [PlaceSite]
    let caseSites: [CaseSite]
    /// True when a tree node runs against the registers (it needs a frame).
    let usesTreeNodes: Bool

    init(decl: FunctionDecl, instructions: [Instruction], registerCount: Int, constants: [Value], globals: [GlobalSlot],
         binaries: [BinaryExpr], exprs: [Expr], stmts: [Stmt], types: [TypeRef], returns: [ReturnCheck],
         assigns: [AssignExpr], compounds: [CompoundAssignExpr], fors: [ForInStmt], guards: [GuardStmt],
         ranges: [SourceRange], loops: [CompiledLoop], callSites: [CallSite], placeSites: [PlaceSite],
         caseSites: [CaseSite]) {
        self.decl = decl
        endsWithVoid = decl.returnType.map(\.isVoid) ?? true
        parameterCount = decl.parameterSlots.count
        parameterSlots = Code.buffer(decl.parameterSlots)
        parameterFast = Code.buffer(decl.parameterFast)
        parametersLead = decl.parameterSlots.elementsEqual(0..<parameterCount)
        returnCount = returns.count
        returnChecks = Code.buffer(returns)
        instructionCount = instructions.count
        self.instructions = Code.buffer(instructions)
        callSiteCount = callSites.count
        self.callSites = Code.buffer(callSites)
        self.placeSites = placeSites
        self.caseSites = caseSites
        self.registerCount = registerCount
        constantCount = constants.count
        self.constants = Code.buffer(constants)
        self.globals = globals
        globalRefs = Code.buffer(globals.map { Unmanaged.passUnretained($0) })
        self.binaries = binaries
        self.exprs = exprs
        self.stmts = stmts
        self.types = types
        self.assigns = assigns
        self.compounds = compounds
        self.fors = fors
        self.guards = guards
        self.ranges = ranges
        self.loops = loops
        usesTreeNodes = !exprs.isEmpty || !stmts.isEmpty || !placeSites.isEmpty
    }

    deinit {
        Code.free(globalRefs, globals.count)
        Code.free(parameterSlots, parameterCount)
        Code.free(parameterFast, parameterCount)
        Code.free(returnChecks, returnCount)
        Code.free(constants, constantCount)
        Code.free(instructions, instructionCount)
        Code.free(callSites, callSiteCount)
    }

    /// A heap copy of `items` that the loop reads without bounds checks or
    /// reference counting of an array (room for one item when there are none).
    private static func buffer<T>(_ items: [T]) -> UnsafeMutablePointer<T> {
        let p = UnsafeMutablePointer<T>.allocate(capacity: max(items.count, 1))
        p.initialize(from: items, count: items.count)
        return p
    }

    private static func free<T>(_ p: UnsafeMutablePointer<T>, _ count: Int) {
        p.deinitialize(count: count)
        p.deallocate()
    }
}
