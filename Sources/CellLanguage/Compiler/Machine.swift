/// Runs compiled function bodies (see `Code`). Every instruction keeps the
/// semantics, errors and messages of the tree node it came from.
///
/// A call from compiled code to a compiled function does not recurse: the
/// callee gets a record on `Runtime.activations` and the loop goes on in it,
/// so a call costs a few stores rather than a chain of Swift calls.
enum Machine {
    /// Calls `function`, whose arguments are already in its registers at `r`:
    /// the call-depth limit, a step, then the body.
    static func enter(_ code: Code, _ function: Unmanaged<UserFunction>, _ r: UnsafeMutablePointer<Value>,
                      _ rt: Runtime, at callRange: SourceRange) throws -> Value {
        if rt.callDepth >= rt.limits.maxCallDepth { throw depthError(code, rt, at: callRange) }
        try tick(rt, at: callRange)
        rt.callDepth += 1
        defer { rt.callDepth -= 1 }
        return try run(Unmanaged.passUnretained(code), function, r, rt)
    }

    /// Runs a cell's compiled body on the cell's own frame (closures the cell
    /// makes keep that frame, as on the tree). The interpreter empties the
    /// registers after the cell.
    static func runCell(_ code: Code, _ frame: Frame, _ rt: Runtime) throws {
        _ = try run(Unmanaged.passUnretained(code), nil, frame.slots, rt, frame: frame)
    }

    /// Gives back the registers of a call from the tree; when it was the
    /// outermost compiled call, empties every register it used.
    static func leave(_ base: UnsafeMutablePointer<Value>, _ count: Int, _ mark: RegisterStack.Mark, _ rt: Runtime) {
        rt.registers.release(base, count, to: mark)
        // Not while a compiled body runs (a cell calling `map` with a closure):
        // the registers are emptied when it ends, not after every element.
        if rt.callDepth == 0 && rt.activations.count == 0 { rt.registers.clear() }
    }

    @inline(never)
    private static func depthError(_ code: Code, _ rt: Runtime, at range: SourceRange) -> CellError {
        CellError(.resourceLimit,
                  "recursion went deeper than \(rt.limits.maxCallDepth) calls in '\(code.decl.name)'; is a base case missing?",
                  at: range)
    }

    /// A compiled function that is running, or waiting for one it called.
    struct Activation {
        let code: Unmanaged<Code>
        /// Nil for a cell's body.
        let function: Unmanaged<UserFunction>?
        let registers: UnsafeMutablePointer<Value>
        let registerCount: Int
        /// Where the register stack stood before these registers.
        let mark: RegisterStack.Mark
        /// The caller's register for the value this call returns.
        let destination: Int
        /// Where to go on when the function this one called returns.
        var pc = 0
        /// The frame over the registers for tree nodes, retained, if one was made.
        var view: Unmanaged<Frame>?
        /// A method running on an array's element: when it ends, the element
        /// goes back into the array and the array into its variable
        /// (`ActivationStack.restoreReceiver`).
        var restoresReceiver = false
    }

    /// A frame over the registers, for tree nodes; made on first use. When
    /// the call ends, a frame something still holds gets its own copy.
    @inline(__always)
    private static func frame(_ view: inout Frame?, _ code: Unmanaged<Code>, _ function: Unmanaged<UserFunction>?,
                              _ r: UnsafeMutablePointer<Value>) -> Frame {
        if let view { return view }
        let count = code._withUnsafeGuaranteedRef { $0.registerCount }
        let f = Frame(viewing: r, count: count, parent: function?._withUnsafeGuaranteedRef { $0.captured })
        view = f
        return f
    }

    /// The frame `depth` scopes out from the running function's (an
    /// `OuterGet`'s), with no view made when the function captured one.
    @inline(__always)
    private static func outer(_ depth: Int, _ view: inout Frame?, _ code: Unmanaged<Code>, _ function: Unmanaged<UserFunction>?,
                              _ r: UnsafeMutablePointer<Value>) -> Frame {
        if depth > 0, let c = function?._withUnsafeGuaranteedRef({ $0.captured }) { return c.ancestor(depth - 1) }
        return frame(&view, code, function, r).ancestor(depth)
    }

    /// `outer(depth, …).slots`, with no frame retained on the way when the
    /// function captured one.
    @inline(__always)
    private static func outerSlots(_ depth: Int, _ view: inout Frame?, _ code: Unmanaged<Code>,
                                   _ function: Unmanaged<UserFunction>?,
                                   _ r: UnsafeMutablePointer<Value>) -> UnsafeMutablePointer<Value> {
        if depth > 0, let function,
           let slots = function._withUnsafeGuaranteedRef({ f in
               // One scope out (a method's `self`): the captured frame's own slots, without a call.
               depth == 1 ? f.captured?.slots : f.captured?.ancestorSlots(depth - 1)
           }) {
            return slots
        }
        return outer(depth, &view, code, function, r).slots
    }

    private static func settle(_ view: inout Frame?) {
        guard var f = view else { return }
        view = nil
        if !isKnownUniquelyReferenced(&f) { f.detach() }
    }

    /// Runs `code` and every compiled function it calls, until `code` returns.
    /// Its registers belong to the caller of `run`.
    static func run(_ entryCode: Unmanaged<Code>, _ entryFunction: Unmanaged<UserFunction>?,
                    _ entryRegisters: UnsafeMutablePointer<Value>, _ rt: Runtime, frame entryFrame: Frame? = nil) throws -> Value {
        let stack = rt.activations
        let registers = rt.registers
        let floor = stack.count + 1
        stack.push(Activation(code: entryCode, function: entryFunction, registers: entryRegisters, registerCount: 0,
                              mark: RegisterStack.Mark(segment: -1, top: 0), destination: 0))
        var codeRef = entryCode
        var r = entryRegisters
        var program = codeRef._withUnsafeGuaranteedRef { $0.instructions }
        var pc = 0
        var view: Frame? = entryFrame
        /// The value being returned by the running function, when it returns.
        var returned = Value.void

        do {
            dispatch: while true {
                // The fields are read where each instruction needs them, so
                // that the dispatch itself is a load and a jump.
                let i = program + pc
                pc &+= 1
                switch i.pointee.op {
                case .move:
                    r[Int(i.pointee.a)] = r[Int(i.pointee.b)]
                    continue dispatch
                case .loadConst:
                    r[Int(i.pointee.a)] = codeRef._withUnsafeGuaranteedRef { $0.constants[Int(i.pointee.b)] }
                    continue dispatch
                case .binary:
                    if case .int(let x) = r[Int(i.pointee.b)], case .int(let y) = r[Int(i.pointee.c)], let v = integer(i.pointee.sub, x, y) {
                        r[Int(i.pointee.a)] = v
                    } else if case .double(let x) = r[Int(i.pointee.b)], case .double(let y) = r[Int(i.pointee.c)],
                              let v = real(i.pointee.sub, x, y) {
                        // `p.vx * 0.01`: Doubles without the call to the general path.
                        r[Int(i.pointee.a)] = v
                    } else {
                        try slowBinary(i.pointee, codeRef, r, constant: false)
                    }
                    continue dispatch
                case .binaryConst:
                    if case .int(let x) = r[Int(i.pointee.b)], let v = integer(i.pointee.sub, x, i.pointee.k) {
                        r[Int(i.pointee.a)] = v
                    } else {
                        try slowBinary(i.pointee, codeRef, r, constant: true)
                    }
                    continue dispatch
                case .doubleConst:
                    if case .double(let x) = r[Int(i.pointee.b)],
                       let v = real(i.pointee.sub, x, Double(bitPattern: UInt64(UInt(bitPattern: i.pointee.k)))) {
                        store(v, at: r + Int(i.pointee.a))
                    } else {
                        try slowDoubleConst(i.pointee, codeRef, r)
                    }
                    continue dispatch
                case .compareJump:
                    let sub = i.pointee.sub
                    try jumpUnless(i, &pc, codeRef, r, constant: false) { compare(sub, $0, $1) }
                    continue dispatch
                case .compareConstJump:
                    let sub = i.pointee.sub
                    try jumpUnless(i, &pc, codeRef, r, constant: true) { compare(sub, $0, $1) }
                    continue dispatch
                case .add:
                    try arithmetic(i, codeRef, r, constant: false) { $0.addingReportingOverflow($1) }
                    continue dispatch
                case .addConst:
                    try arithmetic(i, codeRef, r, constant: true) { $0.addingReportingOverflow($1) }
                    continue dispatch
                case .subtract:
                    try arithmetic(i, codeRef, r, constant: false) { $0.subtractingReportingOverflow($1) }
                    continue dispatch
                case .subtractConst:
                    try arithmetic(i, codeRef, r, constant: true) { $0.subtractingReportingOverflow($1) }
                    continue dispatch
                case .multiply:
                    try arithmetic(i, codeRef, r, constant: false) { $0.multipliedReportingOverflow(by: $1) }
                    continue dispatch
                case .multiplyConst:
                    try arithmetic(i, codeRef, r, constant: true) { $0.multipliedReportingOverflow(by: $1) }
                    continue dispatch
                case .jumpUnlessLess:
                    try jumpUnless(i, &pc, codeRef, r, constant: false) { $0 < $1 }
                    continue dispatch
                case .jumpUnlessLessConst:
                    try jumpUnless(i, &pc, codeRef, r, constant: true) { $0 < $1 }
                    continue dispatch
                case .jumpUnlessLessEqual:
                    try jumpUnless(i, &pc, codeRef, r, constant: false) { $0 <= $1 }
                    continue dispatch
                case .jumpUnlessLessEqualConst:
                    try jumpUnless(i, &pc, codeRef, r, constant: true) { $0 <= $1 }
                    continue dispatch
                case .jumpUnlessGreater:
                    try jumpUnless(i, &pc, codeRef, r, constant: false) { $0 > $1 }
                    continue dispatch
                case .jumpUnlessGreaterConst:
                    try jumpUnless(i, &pc, codeRef, r, constant: true) { $0 > $1 }
                    continue dispatch
                case .jumpUnlessGreaterEqual:
                    try jumpUnless(i, &pc, codeRef, r, constant: false) { $0 >= $1 }
                    continue dispatch
                case .jumpUnlessGreaterEqualConst:
                    try jumpUnless(i, &pc, codeRef, r, constant: true) { $0 >= $1 }
                    continue dispatch
                case .jumpUnlessEqual:
                    try jumpUnless(i, &pc, codeRef, r, constant: false) { $0 == $1 }
                    continue dispatch
                case .jumpUnlessEqualConst:
                    try jumpUnless(i, &pc, codeRef, r, constant: true) { $0 == $1 }
                    continue dispatch
                case .jumpUnlessNotEqual:
                    try jumpUnless(i, &pc, codeRef, r, constant: false) { $0 != $1 }
                    continue dispatch
                case .jumpUnlessNotEqualConst:
                    try jumpUnless(i, &pc, codeRef, r, constant: true) { $0 != $1 }
                    continue dispatch
                case .jump:
                    pc = Int(i.pointee.a)
                    continue dispatch
                case .jumpIfFalse:
                    if case .bool(let b) = r[Int(i.pointee.a)] {
                        if !b { pc = Int(i.pointee.b) }
                    } else if try !condition(r[Int(i.pointee.a)], codeRef, Int(i.pointee.c)) {
                        pc = Int(i.pointee.b)
                    }
                    continue dispatch
                case .jumpIfTrue:
                    if case .bool(let b) = r[Int(i.pointee.a)] {
                        if b { pc = Int(i.pointee.b) }
                    } else if try condition(r[Int(i.pointee.a)], codeRef, Int(i.pointee.c)) {
                        pc = Int(i.pointee.b)
                    }
                    continue dispatch
                case .callPrepare:
                    let site = codeRef._withUnsafeGuaranteedRef { $0.callSites } + Int(i.pointee.b)
                    if let slot = site.pointee.slot, slot._withUnsafeGuaranteedRef({ $0.version }) == site.pointee.version {
                        continue dispatch
                    }
                    try prepare(site, r, rt)
                    continue dispatch
                case .call:
                    let site = codeRef._withUnsafeGuaranteedRef { $0.callSites } + Int(i.pointee.b)
                    if let slot = site.pointee.slot, slot._withUnsafeGuaranteedRef({ $0.version }) != site.pointee.version {
                        try prepare(site, r, rt)
                    }
                    guard let function = site.pointee.function, let callee = site.pointee.code else {
                        r[Int(i.pointee.a)] = try callGeneral(site, r, rt)
                        continue dispatch
                    }
                    let count = callee._withUnsafeGuaranteedRef { $0.registerCount }
                    if rt.callDepth >= rt.limits.maxCallDepth {
                        throw depthError(callee.takeUnretainedValue(), rt, at: site.pointee.range)
                    }
                    try tick(rt, at: site.pointee.range)
                    // The callee's parameters are its first registers, so its
                    // registers start at the arguments when they fit there.
                    let arguments = r + Int(site.pointee.argumentBase)
                    let base: UnsafeMutablePointer<Value>
                    let mark: RegisterStack.Mark
                    if let m = registers.extend(from: arguments, count: count),
                       callee._withUnsafeGuaranteedRef({ $0.parametersLead }) {
                        base = arguments
                        mark = m
                    } else {
                        (base, mark) = registers.take(count)
                    }
                    do {
                        try bindArguments(arguments, into: base, callee, function,
                                          literals: site.pointee.literals, at: site.pointee.range)
                    } catch {
                        registers.release(base, count, to: mark)
                        throw error
                    }
                    // The caller waits where it is; the callee runs on.
                    stack.suspendTop(pc: pc, view: view)
                    view = nil
                    stack.push(Activation(code: callee, function: function, registers: base, registerCount: count,
                                          mark: mark, destination: Int(i.pointee.a)))
                    rt.callDepth &+= 1
                    codeRef = callee
                    r = base
                    program = callee._withUnsafeGuaranteedRef { $0.instructions }
                    pc = 0
                    continue dispatch
                case .ret:
                    let check = codeRef._withUnsafeGuaranteedRef { $0.returnChecks } + Int(i.pointee.b)
                    if check.pointee.unchecked {
                        returned = r[Int(i.pointee.a)]
                    } else if let fast = check.pointee.fast, passes(r[Int(i.pointee.a)], fast) {
                        returned = r[Int(i.pointee.a)]
                    } else {
                        returned = try checkedReturn(r[Int(i.pointee.a)], check)
                    }
                case .compoundLocal:
                    if case .int(let x) = r[Int(i.pointee.a)], case .int(let y) = r[Int(i.pointee.b)], let v = integer(i.pointee.sub, x, y) {
                        r[Int(i.pointee.a)] = v
                    } else {
                        try slowCompound(i.pointee, codeRef, r)
                    }
                    continue dispatch
                case .makeRange:
                    let bounds = r + Int(i.pointee.b)
                    if case .int(let lo) = bounds[0], case .int(let hi) = bounds[1], lo <= hi {
                        r[Int(i.pointee.a)] = .range(lo, hi, closed: i.pointee.sub == 1)
                    } else {
                        r[Int(i.pointee.a)] = try makeRange(codeRef, node: i.pointee.k, bounds)
                    }
                    continue dispatch
                case .compoundLocalConst:
                    if case .int(let x) = r[Int(i.pointee.a)], let v = integer(i.pointee.sub, x, i.pointee.k) {
                        r[Int(i.pointee.a)] = v
                    } else {
                        try slowCompound(i.pointee, codeRef, r, rhs: .int(i.pointee.k))
                    }
                    continue dispatch
                case .loadGlobal:
                    let slot = codeRef._withUnsafeGuaranteedRef { $0.globalRefs[Int(i.pointee.b)] }
                    if slot._withUnsafeGuaranteedRef({ $0.isDefined }) {
                        r[Int(i.pointee.a)] = slot._withUnsafeGuaranteedRef { $0.value }
                    } else {
                        try cold(i.pointee, codeRef, r, rt)
                    }
                    continue dispatch
                case .compoundGlobal:
                    let slot = codeRef._withUnsafeGuaranteedRef { $0.globalRefs[Int(i.pointee.a)] }
                    let stored: Bool = slot._withUnsafeGuaranteedRef { s in
                        guard s.isDefined, case .int(let x) = s.value, case .int(let y) = r[Int(i.pointee.b)],
                              let v = integer(i.pointee.sub, x, y) else { return false }
                        s.value = v
                        return true
                    }
                    if !stored {
                        let f = frame(&view, codeRef, stack.top.pointee.function, r)
                        try slowCompoundGlobal(i.pointee, codeRef, r, f, rt)
                    }
                    continue dispatch
                case .compoundGlobalConst:
                    let slot = codeRef._withUnsafeGuaranteedRef { $0.globalRefs[Int(i.pointee.a)] }
                    let stored: Bool = slot._withUnsafeGuaranteedRef { s in
                        guard s.isDefined, case .int(let x) = s.value, let v = integer(i.pointee.sub, x, i.pointee.k) else { return false }
                        s.value = v
                        return true
                    }
                    if !stored {
                        let f = frame(&view, codeRef, stack.top.pointee.function, r)
                        try slowCompoundGlobal(i.pointee, codeRef, r, f, rt, rhs: .int(i.pointee.k))
                    }
                    continue dispatch
                case .forPrepare:
                    if i.pointee.sub >= 3 {
                        // Both read before the state (which may share their registers) is written.
                        let bounds = r + Int(i.pointee.a)
                        if case .int(let lo) = bounds[0], case .int(let hi) = bounds[1], lo < hi || (lo == hi && i.pointee.sub == 4) {
                            let s = r + Int(i.pointee.b)
                            s[0] = .int(lo)
                            s[1] = .int(i.pointee.sub == 4 ? hi : hi - 1)
                            s[2] = .void
                        } else if try !prepareBounds(i.pointee, bounds, r + Int(i.pointee.b), codeRef, rt) {
                            pc = Int(i.pointee.c)
                        }
                        continue dispatch
                    }
                    if i.pointee.sub == 2 {
                        if try !prepareEnumerated(i.pointee, r, codeRef, &view, stack.top.pointee.function, rt) {
                            pc = Int(i.pointee.c)
                        }
                        continue dispatch
                    }
                    if try !prepareLoop(r[Int(i.pointee.a)], state: r + Int(i.pointee.b), codeRef, node: i.pointee.k,
                                        countsRange: i.pointee.sub == 0, rt) { pc = Int(i.pointee.c) }
                    continue dispatch
                case .forBind:
                    let s = r + Int(i.pointee.a)
                    if i.pointee.sub == 2 {
                        try bindEnumerated(i.pointee, r, codeRef, &view, stack.top.pointee.function, rt)
                        continue dispatch
                    }
                    if i.pointee.b >= 0 {
                        bindCurrent(s, to: r + Int(i.pointee.b))
                        if i.pointee.sub == 1 {
                            let f = frame(&view, codeRef, stack.top.pointee.function, r)
                            try bindTarget(r + Int(i.pointee.b), codeRef, node: Int(i.pointee.c), f, rt)
                        }
                    }
                    try tick(rt, at: codeRef._withUnsafeGuaranteedRef { $0.fors[Int(i.pointee.c)].range })
                    continue dispatch
                case .forStep:
                    let s = r + Int(i.pointee.a)
                    if case .int(let at) = s[0], case .int(let last) = s[1], at != last {
                        s[0] = .int(at &+ 1)
                        let top = Int(i.pointee.b)
                        let bind = program + top
                        if bind.pointee.sub == 0 {
                            // The `forBind` at the top done here (a local or no target): one dispatch less per step.
                            if bind.pointee.b >= 0 { bindCurrent(s, to: r + Int(bind.pointee.b)) }
                            try tick(rt, at: codeRef._withUnsafeGuaranteedRef { $0.fors[Int(bind.pointee.c)].range })
                            pc = top &+ 1
                        } else if bind.pointee.sub == 2, case .void = s[3] {
                            // An `enumerated()` loop counting over its array: the offset and the element.
                            bindCounted(at &+ 1, s, offset: bind.pointee.b, element: bind.pointee.k, r)
                            try tick(rt, at: codeRef._withUnsafeGuaranteedRef { $0.fors[Int(bind.pointee.c)].range })
                            pc = top &+ 1
                        } else {
                            pc = top
                        }
                    }
                    continue dispatch
                case .tick:
                    try tick(rt, at: codeRef._withUnsafeGuaranteedRef { $0.ranges[Int(i.pointee.a)] })
                    continue dispatch
                case .unwrapJump:
                    if case .optional(let wrapped) = r[Int(i.pointee.a)] {
                        if let wrapped { r[Int(i.pointee.c)] = wrapped } else { pc = Int(i.pointee.b) }
                    } else if i.pointee.sub == 1 {
                        r[Int(i.pointee.c)] = r[Int(i.pointee.a)]
                    } else {
                        throw notOptional(r[Int(i.pointee.a)], codeRef, node: i.pointee.k)
                    }
                    continue dispatch
                case .tickJump:
                    try tick(rt, at: codeRef._withUnsafeGuaranteedRef { $0.ranges[Int(i.pointee.b)] })
                    pc = Int(i.pointee.a)
                    continue dispatch
                case .execStmt:
                    let f = frame(&view, codeRef, stack.top.pointee.function, r)
                    switch try runStatement(i.pointee, codeRef, f, rt) {
                    case nil: continue dispatch
                    case .some(.jump(let target)):
                        pc = target
                        continue dispatch
                    case .some(.result(let v)): returned = v
                    }
                case .matchPattern:
                    let f = frame(&view, codeRef, stack.top.pointee.function, r)
                    if !(try matchPattern(i.pointee, codeRef, r[Int(i.pointee.a)], f, rt)) { pc = Int(i.pointee.c) }
                    continue dispatch
                case .matchCase:
                    switch caseMatch(i.pointee, codeRef, r) {
                    case true?: continue dispatch
                    case false?: pc = Int(i.pointee.c)
                    case nil:
                        let f = frame(&view, codeRef, stack.top.pointee.function, r)
                        var general = i.pointee
                        general.k &= 0xFFFF_FFFF
                        if !(try matchPattern(general, codeRef, r[Int(i.pointee.a)], f, rt)) { pc = Int(i.pointee.c) }
                    }
                    continue dispatch
                case .evalExpr:
                    let f = frame(&view, codeRef, stack.top.pointee.function, r)
                    r[Int(i.pointee.a)] = try codeRef._withUnsafeGuaranteedRef { try $0.exprs[Int(i.pointee.b)].eval(rt, f) }
                    continue dispatch
                case .loadOuter:
                    let f = outer(Int(i.pointee.b), &view, codeRef, stack.top.pointee.function, r)
                    r[Int(i.pointee.a)] = f.slots[Int(i.pointee.c)]
                    continue dispatch
                case .member:
                    switch i.pointee.sub {
                    case 3:
                        let slots = outerSlots(Int(i.pointee.b), &view, codeRef, stack.top.pointee.function, r)
                        r[Int(i.pointee.a)] = try memberChain(i.pointee, from: slots + Int(i.pointee.c), rt)
                    case 2:
                        r[Int(i.pointee.a)] = try memberChain(i.pointee, from: r + Int(i.pointee.b), rt)
                    default:
                        r[Int(i.pointee.a)] = try member(i.pointee, codeRef, r, rt)
                    }
                    continue dispatch
                case .changePlace:
                    let scope = i.pointee.k < 0 ? nil : outerSlots(i.pointee.k, &view, codeRef, stack.top.pointee.function, r)
                    if i.pointee.sub == 2,
                       let call = try enterElementMethod(i.pointee, codeRef, r, outer: scope, rt, stack, registers) {
                        // The caller waits where it is; the method runs on, as a function call does.
                        stack.suspendTop(pc: pc, view: view)
                        view = nil
                        stack.push(Activation(code: call.code, function: call.function, registers: call.base,
                                              registerCount: call.count, mark: call.mark, destination: Int(i.pointee.a),
                                              restoresReceiver: true))
                        rt.callDepth &+= 1
                        codeRef = call.code
                        r = call.base
                        program = codeRef._withUnsafeGuaranteedRef { $0.instructions }
                        pc = 0
                        continue dispatch
                    }
                    if try !changePlace(i.pointee, codeRef, r, outer: scope, rt) {
                        let f = frame(&view, codeRef, stack.top.pointee.function, r)
                        r[Int(i.pointee.a)] = try codeRef._withUnsafeGuaranteedRef { try $0.placeSites[Int(i.pointee.b)].node.eval(rt, f) }
                    }
                    continue dispatch
                case .index:
                    if case .int(let at) = r[Int(i.pointee.c)], let v = element(at, of: &r[Int(i.pointee.b)]) {
                        r[Int(i.pointee.a)] = v
                    } else {
                        r[Int(i.pointee.a)] = try slowIndex(r[Int(i.pointee.b)], r[Int(i.pointee.c)], codeRef, node: i.pointee.k, rt)
                    }
                    if i.pointee.sub == 1 { r[Int(i.pointee.b)] = .void }
                    continue dispatch
                case .indexGlobal:
                    let slot = codeRef._withUnsafeGuaranteedRef { $0.globalRefs[Int(i.pointee.b)] }
                    let hit: Bool = slot._withUnsafeGuaranteedRef { s in
                        guard s.isDefined, case .int(let at) = r[Int(i.pointee.c)], let v = element(at, of: &s.value)
                        else { return false }
                        r[Int(i.pointee.a)] = v
                        return true
                    }
                    if !hit {
                        r[Int(i.pointee.a)] = try slowIndexGlobal(slot, r[Int(i.pointee.c)], codeRef, node: i.pointee.k, rt)
                    }
                    continue dispatch
                case .count:
                    if case .array(let items) = r[Int(i.pointee.b)] {
                        store(.int(items.count), at: r + Int(i.pointee.a))
                    } else {
                        r[Int(i.pointee.a)] = try slowCount(r[Int(i.pointee.b)], codeRef, node: i.pointee.k, rt)
                    }
                    if i.pointee.sub == 1 { r[Int(i.pointee.b)] = .void }
                    continue dispatch
                case .countGlobal:
                    let slot = codeRef._withUnsafeGuaranteedRef { $0.globalRefs[Int(i.pointee.b)] }
                    let n: Int? = slot._withUnsafeGuaranteedRef { s in
                        guard s.isDefined, case .array(let items) = s.value else { return nil }
                        return items.count
                    }
                    if let n {
                        store(.int(n), at: r + Int(i.pointee.a))
                    } else {
                        r[Int(i.pointee.a)] = try slowCountGlobal(slot, codeRef, node: i.pointee.k, rt)
                    }
                    continue dispatch
                case .interpolate:
                    r[Int(i.pointee.a)] = try interpolate(codeRef, node: i.pointee.k, r + Int(i.pointee.b))
                    continue dispatch
                case .callBuiltin:
                    if i.pointee.sub != 0, let v = convertNumber(i.pointee.sub, r[Int(i.pointee.b)]) {
                        store(v, at: r + Int(i.pointee.a))
                        continue dispatch
                    }
                    r[Int(i.pointee.a)] = try callBuiltin(codeRef, node: i.pointee.k, r + Int(i.pointee.b), rt)
                    continue dispatch
                case .arrayLiteral:
                    r[Int(i.pointee.a)] = try arrayLiteral(codeRef, node: i.pointee.k, r + Int(i.pointee.b))
                    continue dispatch
                case .setElement:
                    // `isPrime[m] = false`, `ps[i] = p`: a value over one of its own kind, in place.
                    let stored: Bool
                    if i.pointee.sub & 1 == 0 {
                        stored = storeSameKind(r[Int(i.pointee.b)], into: &r[Int(i.pointee.a)], key: r[Int(i.pointee.c)])
                    } else {
                        let slot = codeRef._withUnsafeGuaranteedRef { $0.globalRefs[Int(i.pointee.a)] }
                        stored = slot._withUnsafeGuaranteedRef { s in
                            s.isDefined && storeSameKind(r[Int(i.pointee.b)], into: &s.value, key: r[Int(i.pointee.c)])
                        }
                    }
                    if !stored { try setElement(i.pointee, codeRef, r) }
                    continue dispatch
                case .compoundElement:
                    // `row[j] += x` on an Int or Double element of the same type as x, in place.
                    var combined = false
                    let op = i.pointee.sub >> 2
                    if i.pointee.sub & 2 == 0 {
                        if i.pointee.sub & 1 == 0 {
                            combined = combineScalar(op, r[Int(i.pointee.b)], into: &r[Int(i.pointee.a)], key: r[Int(i.pointee.c)])
                        } else {
                            let slot = codeRef._withUnsafeGuaranteedRef { $0.globalRefs[Int(i.pointee.a)] }
                            combined = slot._withUnsafeGuaranteedRef { s in
                                s.isDefined && combineScalar(op, r[Int(i.pointee.b)], into: &s.value, key: r[Int(i.pointee.c)])
                            }
                        }
                    } else if i.pointee.sub & 1 == 0 {
                        // `counts[w, default: 0] += 1` on an entry already there: one lookup, in place.
                        combined = combineEntry(op, r[Int(i.pointee.b)], into: &r[Int(i.pointee.a)], key: r[Int(i.pointee.c)])
                    } else {
                        let slot = codeRef._withUnsafeGuaranteedRef { $0.globalRefs[Int(i.pointee.a)] }
                        combined = slot._withUnsafeGuaranteedRef { s in
                            s.isDefined && combineEntry(op, r[Int(i.pointee.b)], into: &s.value, key: r[Int(i.pointee.c)])
                        }
                    }
                    if !combined { try compoundElement(i.pointee, codeRef, r) }
                    continue dispatch
                case .append:
                    var element = Value.void
                    swap(&element, &r[Int(i.pointee.b)])
                    let appended: Bool
                    if i.pointee.sub == 0 {
                        appended = try append(element, to: &r[Int(i.pointee.c)], codeRef, node: i.pointee.k, rt)
                    } else {
                        let slot = codeRef._withUnsafeGuaranteedRef { $0.globalRefs[Int(i.pointee.c)] }
                        appended = try slot._withUnsafeGuaranteedRef { s in
                            s.isDefined ? try append(element, to: &s.value, codeRef, node: i.pointee.k, rt) : false
                        }
                    }
                    if !appended {
                        let f = frame(&view, codeRef, stack.top.pointee.function, r)
                        r[Int(i.pointee.a)] = try slowAppend(element, codeRef, node: i.pointee.k, f, rt)
                    } else {
                        store(.void, at: r + Int(i.pointee.a))
                    }
                    continue dispatch
                case .checkElement:
                    let v = r + Int(i.pointee.a)
                    switch i.pointee.sub {
                    case 1: if case .int = v.pointee { continue dispatch }
                    case 2: if case .string = v.pointee { continue dispatch }
                    default: if case .bool = v.pointee { continue dispatch }
                    }
                    try elementMismatch(i.pointee, v)
                    continue dispatch
                case .end:
                    if !codeRef._withUnsafeGuaranteedRef({ $0.endsWithVoid }) { returned = try endOfBody(codeRef) }
                case .toBool:
                    if case .bool(let b) = r[Int(i.pointee.b)] {
                        store(.bool(b), at: r + Int(i.pointee.a))
                    } else {
                        try cold(i.pointee, codeRef, r, rt)
                    }
                    continue dispatch
                case .not:
                    if case .bool(let b) = r[Int(i.pointee.b)] {
                        store(.bool(!b), at: r + Int(i.pointee.a))
                    } else {
                        try cold(i.pointee, codeRef, r, rt)
                    }
                    continue dispatch
                case .negate, .coerce, .assignLocal, .assignGlobal, .guardFellThrough:
                    try cold(i.pointee, codeRef, r, rt)
                    continue dispatch
                }

                // The running function returns `returned`.
                if view != nil { settle(&view) }
                if stack.count == floor {
                    _ = stack.pop()
                    return returned
                }
                let done = stack.pop()
                registers.release(r, done.registerCount, to: done.mark)
                rt.callDepth &-= 1
                if done.restoresReceiver { stack.restoreReceiver() }
                let caller = stack.top
                codeRef = caller.pointee.code
                r = caller.pointee.registers
                pc = caller.pointee.pc
                view = caller.pointee.view?.takeRetainedValue()
                caller.pointee.view = nil
                program = codeRef._withUnsafeGuaranteedRef { $0.instructions }
                store(returned, at: r + done.destination)
                returned = .void
            }
        } catch {
            // Unwind the functions this loop called; the entry's registers
            // belong to whoever called `run`.
            if view != nil { settle(&view) }
            while stack.count > floor {
                let done = stack.pop()
                registers.release(done.registers, done.registerCount, to: done.mark)
                rt.callDepth -= 1
                if done.restoresReceiver { stack.restoreReceiver() }
                view = stack.top.pointee.view?.takeRetainedValue()
                stack.top.pointee.view = nil
                if view != nil { settle(&view) }
            }
            _ = stack.pop()
            throw error
        }
    }

    /// `xs[i].step(0.1)`, a mutating call through a place (`changePlace`
    /// sub 2) that `PlaceSite.elementCall` finds to be a compiled method on
    /// an instance in an array whose storage is its variable's alone: the
    /// array is taken out of its variable (as the tree's walk takes it), the
    /// element moved into the method's `self` slot and the arguments bound
    /// into the method's registers; the caller pushes the activation, and
    /// its end puts everything back. Nil, with nothing changed, otherwise.
    @inline(__always)
    private static func enterElementMethod(_ i: Instruction, _ codeRef: Unmanaged<Code>, _ r: UnsafeMutablePointer<Value>,
                                           outer: UnsafeMutablePointer<Value>?, _ rt: Runtime, _ stack: ActivationStack,
                                           _ registers: RegisterStack) throws
        -> (code: Unmanaged<Code>, function: Unmanaged<UserFunction>, base: UnsafeMutablePointer<Value>, count: Int,
            mark: RegisterStack.Mark)? {
        let site = codeRef._withUnsafeGuaranteedRef { code in
            code.placeSites.withUnsafeBufferPointer { Unmanaged.passUnretained($0[Int(i.b)]) }
        }
        return try site._withUnsafeGuaranteedRef { site in
            try site.withNode(MethodCallExpr.self) { node in
                let values = r + Int(i.c)
                guard node.isMutating(rt), let call = try site.elementCall(node, values, r, outer: outer, rt) else { return nil }
                if rt.callDepth >= rt.limits.maxCallDepth { throw depthError(call.code.takeUnretainedValue(), rt, at: node.range) }
                try tick(rt, at: node.range)
                var taken = Value.void
                swap(&taken, &call.root.pointee)
                // (A consuming `guard case` moves the array out without retaining its storage; `elementCall` saw an array.)
                guard case .array(var items) = consume taken else { return nil }
                let decl = call.decl.takeUnretainedValue()
                let (fn, scope) = call.type._withUnsafeGuaranteedRef { (UserTypes.methodFunction(decl, of: $0), $0.capturedIdentity) }
                guard Memory.isUnique(&items), let slots = fn.captured?.slots else {
                    call.root.pointee = .array(items)
                    UserTypes.keep(fn, decl, scope)
                    return nil
                }
                let (count, parameters) = call.code._withUnsafeGuaranteedRef { ($0.registerCount, $0.parameterCount) }
                let (base, mark) = registers.take(count)
                do {
                    try call.code._withUnsafeGuaranteedRef { code in
                        for j in 0..<parameters {
                            if passes(values[j], code.parameterFast[j]) {
                                swap(&base[code.parameterSlots[j]], &values[j])
                                continue
                            }
                            var a = Value.void
                            swap(&a, &values[j])
                            try fn.bind(j, a, literal: node.literalBits >> UInt64(j) & 1 == 1,
                                        at: j < node.ranges.count ? node.ranges[j] : node.range, into: base)
                        }
                    }
                } catch {
                    registers.release(base, count, to: mark)
                    call.root.pointee = .array(items)
                    UserTypes.keep(fn, decl, scope)
                    throw error
                }
                swap(&items[call.index], &slots[0])
                let function = Unmanaged.passUnretained(fn)
                stack.receivers.append(ActivationStack.Receiver(root: call.root, items: items, index: call.index,
                                                                function: fn, decl: decl, scope: scope))
                return (call.code, function, base, count, mark)
            }
        }
    }

    /// `checkElement`'s error: the value is not of the collection's element type.
    @inline(never)
    private static func elementMismatch(_ i: Instruction, _ v: UnsafeMutablePointer<Value>) throws {
        guard let address = UnsafeRawPointer(bitPattern: i.k) else { return }
        throw Unmanaged<ElementTypeCheck>.fromOpaque(address)._withUnsafeGuaranteedRef { $0.mismatch(v.pointee) }
    }

    /// Moves the arguments into the callee's parameter registers, checking their types.
    @inline(__always)
    private static func bindArguments(_ arguments: UnsafeMutablePointer<Value>, into base: UnsafeMutablePointer<Value>,
                                      _ callee: Unmanaged<Code>, _ function: Unmanaged<UserFunction>,
                                      literals: UInt64, at range: SourceRange) throws {
        try callee._withUnsafeGuaranteedRef { code in
            for j in 0..<code.parameterCount {
                let slot = code.parameterSlots[j]
                if passes(arguments[j], code.parameterFast[j]) {
                    if arguments != base { swap(&base[slot], &arguments[j]) }
                } else {
                    try function._withUnsafeGuaranteedRef {
                        try $0.bind(j, arguments[j], literal: literals >> UInt64(j) & 1 == 1, at: range, into: base)
                    }
                }
            }
        }
    }

    /// Where a tree statement run by `execStmt` sends the machine.
    private enum Exit {
        case jump(Int)
        case result(Value)
    }

    @inline(never)
    private static func runStatement(_ i: Instruction, _ codeRef: Unmanaged<Code>, _ f: Frame, _ rt: Runtime) throws -> Exit? {
        let code = codeRef.takeUnretainedValue()
        let flow = try code.stmts[Int(i.b)].exec(rt, f)
        switch flow {
        case .normal: return nil
        case .returned:
            let v = rt.returnValue
            rt.returnValue = .void
            return .result(v)
        case .breakLoop, .continueLoop:
            var l = Int(i.c)
            while l >= 0 {
                let loop = code.loops[l]
                if rt.jumpLabel == nil || rt.jumpLabel == loop.label {
                    rt.jumpLabel = nil
                    return .jump(flow.isBreak ? loop.breakTarget : loop.continueTarget)
                }
                l = loop.parent
            }
            // As on the tree: a jump that leaves the function ends it.
            return .result(.void)
        }
    }

    /// `matchPattern`: one pattern of a compiled `switch` tried on its subject.
    @inline(never)
    private static func matchPattern(_ i: Instruction, _ codeRef: Unmanaged<Code>, _ v: Value, _ f: Frame,
                                     _ rt: Runtime) throws -> Bool {
        // The compiler put a SwitchStmt at stmts[b] (the cast is not checked again on every case).
        let s = unsafeDowncast(codeRef.takeUnretainedValue().stmts[Int(i.b)] as AnyObject, to: SwitchStmt.self)
        if i.sub == 1 { throw SwitchStmt.noMatch(v, at: s.subject.range) }
        let pattern = s.cases[i.k >> 16].patterns[i.k & 0xFFFF].0
        // `case let .add(a, b)` on an enum value: the tag's name compared and the values stored directly.
        if case .enumCase(let name, let ps?) = pattern, case .instance(let e) = v, e.type.kind == .enumeration,
           ps.count == e.fields.count, ps.count != 1 || e.fields.count == 1 {
            guard e.type.cases[e.tag].name == name else {
                if e.type.caseIndex[name] == nil, rt.userTypes.enumsHaving(name).isEmpty { throw UserTypeRefs.unknownCase(name, of: e.type, at: s.subject.range) }
                return false
            }
            var simple = true
            for p in ps {
                switch p {
                case .bind(.local), .bind(.discard), .wildcard: continue
                default: simple = false
                }
            }
            if simple {
                for (p, x) in zip(ps, e.fields) { if case .bind(.local(let slot)) = p { f.slots[slot] = x } }
                return true
            }
        }
        return try pattern.matches(v, rt, f, at: s.subject.range)
    }

    @inline(never)
    private static func endOfBody(_ codeRef: Unmanaged<Code>) throws -> Value {
        let decl = codeRef.takeUnretainedValue().decl
        if let t = decl.returnType, !t.isVoid {
            let what = decl.isClosure ? "closure" : "function '\(decl.name)'"
            throw CellError.type("missing return in \(what) expected to return '\(t.description)'", at: decl.range)
        }
        return .void
    }

    /// The instructions that are not in the hot loop.
    @inline(never)
    private static func cold(_ i: Instruction, _ codeRef: Unmanaged<Code>, _ r: UnsafeMutablePointer<Value>,
                             _ rt: Runtime) throws {
        let code = codeRef.takeUnretainedValue()
        switch i.op {
        case .loadGlobal:
            let slot = code.globals[Int(i.b)]
            guard slot.isDefined else {
                throw CellError.usedBeforeDeclared(slot.name, at: code.ranges[Int(i.c)])
            }
            r[Int(i.a)] = slot.value
        case .toBool:
            r[Int(i.a)] = .bool(try Conditions.bool(r[Int(i.b)], at: code.ranges[Int(i.c)]))
        case .not:
            r[Int(i.a)] = .bool(!(try Conditions.bool(r[Int(i.b)], at: code.ranges[Int(i.c)])))
        case .negate:
            r[Int(i.a)] = try negate(r[Int(i.b)], at: code.ranges[Int(i.c)])
        case .coerce:
            let type = code.types[Int(i.b)]
            guard let c = type.coerce(r[Int(i.a)], literal: i.sub == 1) else {
                throw TypeRef.specifiedMismatch(r[Int(i.a)], type, at: code.ranges[Int(i.c)])
            }
            r[Int(i.a)] = c
        case .assignLocal:
            let new = r[Int(i.b)]
            try code.assigns[Int(i.c)].store(new, into: &r[Int(i.a)])
        case .assignGlobal:
            let slot = code.globals[Int(i.a)]
            let node = code.assigns[Int(i.c)]
            guard slot.isDefined else {
                throw CellError.usedBeforeDeclared(slot.name, at: node.place.range)
            }
            let new = r[Int(i.b)]
            try node.store(new, into: &slot.value)
        case .guardFellThrough:
            throw code.guards[Int(i.a)].fellThrough
        default:
            break
        }
    }

    /// `Runtime.tick`, here so that it is inlined: a step, and every 1,024
    /// steps the checks for interrupts, time and the step budget.
    @inline(__always)
    private static func tick(_ rt: Runtime, at range: @autoclosure () -> SourceRange) throws {
        rt.ticks &+= 1
        if rt.ticks & 1023 == 0 {
            do { try rt.slowTick() } catch let e as CellError { throw e.located(range()) }
        }
    }

    /// The cheap type check of a parameter: true when the value passes unchanged.
    @inline(__always)
    private static func passes(_ v: Value, _ fast: FastType) -> Bool {
        // Patterns rather than a switch or `==` (a jump table would cost every
        // call an indirect branch; `==` is compiled in another file).
        if case .int = v, case .int = fast { return true }
        if case .any = fast { return true }
        if case .double = v, case .double = fast { return true }
        if case .bool = v, case .bool = fast { return true }
        if case .string = v, case .string = fast { return true }
        return false
    }

    /// `p.pointee = v` without the call that releases the old value when it
    /// is an Int or a Double (most registers hold numbers).
    @inline(__always)
    private static func store(_ v: Value, at p: UnsafeMutablePointer<Value>) {
        switch p.pointee {
        case .int, .double: p.initialize(to: v)
        default: p.pointee = v
        }
    }

    // MARK: Arithmetic

    /// The Int operations the loop does itself; nil for the others and on
    /// overflow (the slow path then reports it).
    @inline(__always)
    private static func integer(_ sub: UInt8, _ x: Int, _ y: Int) -> Value? {
        switch sub {
        case 0:
            let (v, o) = x.addingReportingOverflow(y)
            return o ? nil : .int(v)
        case 1:
            let (v, o) = x.subtractingReportingOverflow(y)
            return o ? nil : .int(v)
        case 2:
            let (v, o) = x.multipliedReportingOverflow(by: y)
            return o ? nil : .int(v)
        case 3:
            // Division by zero and overflow take the slow path, which reports them.
            if y == 0 { return nil }
            let (v, o) = x.dividedReportingOverflow(by: y)
            return o ? nil : .int(v)
        case 4:
            if y == 0 { return nil }
            let (v, o) = x.remainderReportingOverflow(dividingBy: y)
            return o ? nil : .int(v)
        case 10...15:
            return .bool(compare(sub, x, y))
        default:
            return nil
        }
    }

    /// `+ - * /` and the comparisons (sub: `BinaryOp.code`) on two Doubles, as `Arithmetic.double` computes them; nil for the others.
    @inline(__always)
    private static func real(_ sub: UInt8, _ x: Double, _ y: Double) -> Value? {
        switch sub {
        case 0: return .double(x + y)
        case 1: return .double(x - y)
        case 2: return .double(x * y)
        case 3: return .double(x / y)
        case 10: return .bool(x == y)
        case 11: return .bool(x != y)
        case 12: return .bool(x < y)
        case 13: return .bool(x <= y)
        case 14: return .bool(x > y)
        case 15: return .bool(x >= y)
        default: return nil
        }
    }

    /// An Int operation with an instruction of its own: `r[a] = r[b] op r[c]`
    /// (or `op k` when `constant`) while both are Ints and nothing overflows,
    /// the general path otherwise.
    @inline(__always)
    private static func arithmetic(_ i: UnsafeMutablePointer<Instruction>, _ codeRef: Unmanaged<Code>,
                                   _ r: UnsafeMutablePointer<Value>, constant: Bool,
                                   _ op: (Int, Int) -> (partialValue: Int, overflow: Bool)) throws {
        if case .int(let x) = r[Int(i.pointee.b)] {
            if constant {
                if case (let v, false) = op(x, i.pointee.k) { return store(.int(v), at: r + Int(i.pointee.a)) }
            } else if case .int(let y) = r[Int(i.pointee.c)], case (let v, false) = op(x, y) {
                return store(.int(v), at: r + Int(i.pointee.a))
            }
        } else if !constant, case .double(let x) = r[Int(i.pointee.b)], case .double(let y) = r[Int(i.pointee.c)],
                  let v = real(i.pointee.sub, x, y) {
            return store(v, at: r + Int(i.pointee.a))
        }
        try slowBinary(i.pointee, codeRef, r, constant: constant)
    }

    /// A comparison and jump: `if !(r[a] holds r[b]) { pc = c }` with node k,
    /// or, when `constant`, `if !(r[a] holds k) { pc = b }` with node c.
    @inline(__always)
    private static func jumpUnless(_ i: UnsafeMutablePointer<Instruction>, _ pc: inout Int, _ codeRef: Unmanaged<Code>,
                                   _ r: UnsafeMutablePointer<Value>, constant: Bool, _ holds: (Int, Int) -> Bool) throws {
        if constant {
            if case .int(let x) = r[Int(i.pointee.a)] {
                if !holds(x, i.pointee.k) { pc = Int(i.pointee.b) }
            } else if case .double(let x) = r[Int(i.pointee.a)], case .bool(let h)? = real(i.pointee.sub, x, Double(i.pointee.k)) {
                // `p.x < 0`: the Int literal is a Double here, as on the tree.
                if !h { pc = Int(i.pointee.b) }
            } else if try !slowCompare(r[Int(i.pointee.a)], .int(i.pointee.k), codeRef, node: Int(i.pointee.c)) {
                pc = Int(i.pointee.b)
            }
        } else if case .int(let x) = r[Int(i.pointee.a)], case .int(let y) = r[Int(i.pointee.b)] {
            if !holds(x, y) { pc = Int(i.pointee.c) }
        } else if case .double(let x) = r[Int(i.pointee.a)], case .double(let y) = r[Int(i.pointee.b)],
                  case .bool(let h)? = real(i.pointee.sub, x, y) {
            if !h { pc = Int(i.pointee.c) }
        } else if try !slowCompare(r[Int(i.pointee.a)], r[Int(i.pointee.b)], codeRef, node: i.pointee.k) {
            pc = Int(i.pointee.c)
        }
    }

    @inline(never)
    private static func slowBinary(_ i: Instruction, _ codeRef: Unmanaged<Code>, _ r: UnsafeMutablePointer<Value>,
                                   constant: Bool) throws {
        // Doubles (an Int constant on the right is a literal, so a Double here, as on the tree).
        if case .double(let a) = r[Int(i.b)] {
            if constant, let v = real(i.sub, a, Double(i.k)) { return r[Int(i.a)] = v }
            if !constant, case .double(let b) = r[Int(i.c)], let v = real(i.sub, a, b) { return r[Int(i.a)] = v }
        }
        let n = codeRef.takeUnretainedValue().binaries[constant ? Int(i.c) : i.k]
        let x = r[Int(i.b)]
        let y = constant ? Value.int(i.k) : r[Int(i.c)]
        if case .int(let a) = x, case .int(let b) = y {
            r[Int(i.a)] = try Arithmetic.int(n.op, a, b, at: n.range)
        } else {
            r[Int(i.a)] = try general(x, y, n)
        }
    }

    /// `doubleConst` on anything but a Double with a Double operation: the tree's arithmetic.
    @inline(never)
    private static func slowDoubleConst(_ i: Instruction, _ codeRef: Unmanaged<Code>, _ r: UnsafeMutablePointer<Value>) throws {
        let n = codeRef.takeUnretainedValue().binaries[Int(i.c)]
        r[Int(i.a)] = try general(r[Int(i.b)], .double(Double(bitPattern: UInt64(UInt(bitPattern: i.k)))), n)
    }

    @inline(never)
    private static func slowCompare(_ a: Value, _ b: Value, _ codeRef: Unmanaged<Code>, node: Int) throws -> Bool {
        let n = codeRef.takeUnretainedValue().binaries[node]
        return try Conditions.bool(general(a, b, n), at: n.range)
    }

    @inline(never)
    private static func condition(_ v: Value, _ codeRef: Unmanaged<Code>, _ range: Int) throws -> Bool {
        try Conditions.bool(v, at: codeRef.takeUnretainedValue().ranges[range])
    }

    @inline(never)
    private static func slowCompound(_ i: Instruction, _ codeRef: Unmanaged<Code>, _ r: UnsafeMutablePointer<Value>,
                                     rhs constant: Value? = nil) throws {
        let rhs = constant ?? r[Int(i.b)]
        // `total += x * 0.5` on Doubles (the four operators `op=` has for them), without the general combine.
        if case .double(let x) = r[Int(i.a)], case .double(let y) = rhs, i.sub <= 3, let v = real(i.sub, x, y) {
            r[Int(i.a)] = v
            return
        }
        let n = codeRef.takeUnretainedValue().compounds[Int(i.c)]
        try CompoundAssignExpr.combine(&r[Int(i.a)], rhs, op: n.op, promote: n.value.isIntegerLiteral, at: n.range)
    }

    /// `compoundGlobal` on a global Double and a Double (`+ - * /`), in place;
    /// false, with nothing changed, otherwise (then the general path).
    @inline(never)
    private static func doubleCompoundGlobal(_ i: Instruction, _ codeRef: Unmanaged<Code>, _ r: UnsafeMutablePointer<Value>) -> Bool {
        guard i.op == .compoundGlobal, i.sub <= 3 else { return false }
        let slot = codeRef._withUnsafeGuaranteedRef { $0.globalRefs[Int(i.a)] }
        return slot._withUnsafeGuaranteedRef { s in
            guard s.isDefined, case .double(let x) = s.value, case .double(let y) = r[Int(i.b)],
                  let v = real(i.sub, x, y) else { return false }
            s.value = v
            return true
        }
    }

    @inline(never)
    private static func slowCompoundGlobal(_ i: Instruction, _ codeRef: Unmanaged<Code>, _ r: UnsafeMutablePointer<Value>,
                                           _ f: Frame, _ rt: Runtime, rhs constant: Value? = nil) throws {
        if constant == nil, doubleCompoundGlobal(i, codeRef, r) { return }
        let n = codeRef.takeUnretainedValue().compounds[Int(i.c)]
        let rhs = constant ?? r[Int(i.b)]
        try n.place.modify(rt, f) { v in
            try CompoundAssignExpr.combine(&v, rhs, op: n.op, promote: n.value.isIntegerLiteral, at: n.range)
        }
    }

    // MARK: Elements and members

    @inline(never)
    private static func slowIndex(_ v: Value, _ key: Value, _ codeRef: Unmanaged<Code>, node: Int, _ rt: Runtime) throws -> Value {
        if let found = entry(v, key) { return found }
        let n = unsafeDowncast(codeRef.takeUnretainedValue().exprs[node], to: SubscriptExpr.self)
        return try Subscripts.get(v, [key], labels: n.labels, rt, at: n.range)
    }

    /// `d[k]` (one unlabeled key, the only subscript the index instructions
    /// compile) on a dictionary with a String or Int key, as `Subscripts.get`
    /// gives it: the value wrapped as an optional; nil: the general path.
    @inline(__always)
    private static func entry(_ v: Value, _ key: Value) -> Value? {
        guard case .dictionary(let d) = v else { return nil }
        switch key {
        case .string, .int: return .optional(d[key])
        default: return nil
        }
    }

    @inline(never)
    private static func slowIndexGlobal(_ slot: Unmanaged<GlobalSlot>, _ key: Value, _ codeRef: Unmanaged<Code>, node: Int,
                                        _ rt: Runtime) throws -> Value {
        let n = unsafeDowncast(codeRef.takeUnretainedValue().exprs[node], to: SubscriptExpr.self)
        let s = slot.takeUnretainedValue()
        guard s.isDefined else { throw CellError.usedBeforeDeclared(s.name, at: n.base.range) }
        if let found = entry(s.value, key) { return found }
        return try Subscripts.get(s.value, [key], labels: n.labels, rt, at: n.range)
    }

    @inline(never)
    private static func slowCount(_ v: Value, _ codeRef: Unmanaged<Code>, node: Int, _ rt: Runtime) throws -> Value {
        let n = unsafeDowncast(codeRef.takeUnretainedValue().exprs[node], to: MemberExpr.self)
        return try Members.get(v, n.name, rt, at: n.range)
    }

    @inline(never)
    private static func slowCountGlobal(_ slot: Unmanaged<GlobalSlot>, _ codeRef: Unmanaged<Code>, node: Int,
                                        _ rt: Runtime) throws -> Value {
        let n = unsafeDowncast(codeRef.takeUnretainedValue().exprs[node], to: MemberExpr.self)
        let s = slot.takeUnretainedValue()
        guard s.isDefined else { throw CellError.usedBeforeDeclared(s.name, at: n.base.range) }
        return try Members.get(s.value, n.name, rt, at: n.range)
    }

    @inline(never)
    private static func interpolate(_ codeRef: Unmanaged<Code>, node: Int, _ pieces: UnsafeMutablePointer<Value>) throws -> Value {
        // k: the node's address; `exprs` keeps it.
        guard let address = UnsafeRawPointer(bitPattern: node) else { return .void }
        return try Unmanaged<InterpolationExpr>.fromOpaque(address)._withUnsafeGuaranteedRef { n in
            if let s = try n.joinScalars(pieces) { return .string(s) }
            // Each piece is moved out of its temporary, which keeps no copy.
            return try n.build { j, _ in
                var v = Value.void
                swap(&v, &pieces[j])
                return v
            }
        }
    }

    /// `unwrapJump`'s error for a value that is not an optional, as the tree's `Condition.all` gives it.
    @inline(never)
    private static func notOptional(_ v: Value, _ codeRef: Unmanaged<Code>, node: Int) -> CellError {
        let e = codeRef.takeUnretainedValue().exprs[node]
        return CellError.type("initializer for conditional binding must have Optional type, not '\(v.typeName)'", at: e.range)
    }

    /// `makeRange` of other bounds than two Ints in order: the tree's range, or its error.
    @inline(never)
    private static func makeRange(_ codeRef: Unmanaged<Code>, node: Int, _ bounds: UnsafeMutablePointer<Value>) throws -> Value {
        let n = unsafeDowncast(codeRef.takeUnretainedValue().exprs[node], to: RangeExpr.self)
        return try n.make(bounds[0], bounds[1])
    }

    /// Moves `count` values out of the temporaries at `p`.
    @inline(__always)
    private static func take(_ p: UnsafeMutablePointer<Value>, _ count: Int) -> [Value] {
        var out: [Value] = []
        out.reserveCapacity(count)
        for j in 0..<count {
            var v = Value.void
            swap(&v, &p[j])
            out.append(v)
        }
        return out
    }

    /// `abs(x)` (sub 1), `Double(x)` (2) and `Int(x)` (3) on the numbers they
    /// cannot fail on, as the builtins give them; nil: the builtin decides.
    @inline(__always)
    private static func convertNumber(_ sub: UInt8, _ x: Value) -> Value? {
        switch (sub, x) {
        case (1, .int(let n)) where n != Int.min: return .int(n < 0 ? -n : n)
        case (2, .int(let n)): return .double(Double(n))
        case (2, .double): return x
        case (3, .int): return x
        case (3, .double(let d)): return Int(exactly: d.rounded(.towardZero)).map(Value.int)
        default: return nil
        }
    }

    /// `min(x, y)` (4) and `max(x, y)` (5) of two Ints or two Doubles, as
    /// the builtins pick (`Ordering.extreme`: the first unless the second is
    /// strictly smaller, or larger); nil: the builtin decides.
    @inline(__always)
    private static func pickNumber(_ sub: UInt8, _ x: Value, _ y: Value) -> Value? {
        switch (x, y) {
        case (.int(let a), .int(let b)): return (sub == 4 ? b < a : a < b) ? y : x
        case (.double(let a), .double(let b)): return (sub == 4 ? b < a : a < b) ? y : x
        default: return nil
        }
    }

    @inline(never)
    private static func callBuiltin(_ codeRef: Unmanaged<Code>, node: Int, _ args: UnsafeMutablePointer<Value>,
                                    _ rt: Runtime) throws -> Value {
        let n = unsafeDowncast(codeRef.takeUnretainedValue().exprs[node], to: BuiltinCallExpr.self)
        if n.picksNumber != 0, let v = pickNumber(n.picksNumber, args[0], args[1]) { return v }
        return try n.call(take(args, n.args.count), rt)
    }

    @inline(never)
    private static func arrayLiteral(_ codeRef: Unmanaged<Code>, node: Int, _ elements: UnsafeMutablePointer<Value>) throws -> Value {
        let n = unsafeDowncast(codeRef.takeUnretainedValue().exprs[node], to: ArrayLiteralExpr.self)
        return try n.build { j, _ in
            var v = Value.void
            swap(&v, &elements[j])
            return v
        }
    }

    /// The root of an element assignment: its register, or its global (checked as `Place.modify` checks).
    @inline(__always)
    private static func elementRoot<R>(_ i: Instruction, global: Bool, _ code: Code, _ r: UnsafeMutablePointer<Value>,
                                       _ place: Place, _ body: (inout Value) throws -> R) throws -> R {
        if !global { return try body(&r[Int(i.a)]) }
        let slot = code.globals[Int(i.a)]
        guard slot.isDefined else { throw CellError.usedBeforeDeclared(slot.name, at: place.range) }
        return try body(&slot.value)
    }

    /// `root[key] = new` when `root` is an array it owns alone, `key` an Int
    /// in range and `new` replacing an element of its own kind (see
    /// `sameKindElement`: what `AssignExpr.store` would store unchanged);
    /// false, with nothing changed, otherwise.
    @inline(__always)
    private static func storeSameKind(_ new: Value, into root: inout Value, key: Value) -> Bool {
        guard case .int(let at) = key, sameKindElement(new, root, at) else { return false }
        return replaceElement(at, in: &root, with: new)
    }

    /// `root[key] op= rhs` (op: `BinaryOp.code`) when `root` is an array it
    /// owns alone, `key` an Int in range, and the element and `rhs` both Ints
    /// (`+ - * / %` without overflow or a zero divisor) or both Doubles
    /// (`+ - * /`); false, with nothing changed, otherwise.
    @inline(__always)
    private static func combineScalar(_ op: UInt8, _ rhs: Value, into root: inout Value, key: Value) -> Bool {
        guard case .int(let at) = key, let v = combinedElement(op, rhs, root, at) else { return false }
        return replaceElement(at, in: &root, with: v)
    }

    /// `root[key, default: d] op= rhs` (op: `BinaryOp.code`, `+ - * / %`)
    /// when `root` is a dictionary it owns alone, `key` a String or Int
    /// already there holding an Int, and `rhs` an Int (no overflow or zero
    /// divisor); false, with nothing changed, otherwise. Moved out and back
    /// as `replaceElement` moves an array.
    @inline(__always)
    private static func combineEntry(_ op: UInt8, _ rhs: Value, into root: inout Value, key: Value) -> Bool {
        guard op <= 4, case .int(let n) = rhs else { return false }
        switch key {
        case .string, .int: break
        default: return false
        }
        var taken = Value.void
        swap(&taken, &root)
        guard case .dictionary = taken else {
            swap(&taken, &root)
            return false
        }
        guard case .dictionary(var dict) = consume taken else { return false }
        let done = dict.updateInt(forKey: key) { x in
            if case .int(let v)? = integer(op, x, n) { return v }
            return nil
        }
        root = .dictionary(dict)
        return done
    }

    @inline(never)
    private static func combinedElement(_ op: UInt8, _ rhs: Value, _ root: Value, _ at: Int) -> Value? {
        guard case .array(let items) = root, at >= 0, at < items.count else { return nil }
        switch (items[at], rhs) {
        case (.int(let x), .int(let y)):
            return op <= 4 ? integer(op, x, y) : nil
        case (.double(let x), .double(let y)):
            return real(op, x, y)
        default:
            return nil
        }
    }

    /// Element `at` of the array in `root`, nil when `root` holds no array or
    /// `at` is out of range. The array is moved out and back, so that reading
    /// an element counts no reference to the array.
    @inline(__always)
    private static func element(_ at: Int, of root: inout Value) -> Value? {
        guard case .array = root else { return nil }
        var taken = Value.void
        swap(&taken, &root)
        guard case .array(let items) = consume taken else { return nil }
        let v: Value? = at >= 0 && at < items.count ? items[at] : nil
        root = .array(items)
        return v
    }

    /// Element `at` (in range) of the array in `root` set to `v` when the
    /// array owns its storage alone; false, with nothing changed, otherwise.
    /// The array is moved out and back, so its storage is neither retained nor copied.
    @inline(__always)
    private static func replaceElement(_ at: Int, in root: inout Value, with new: Value) -> Bool {
        var taken = Value.void
        swap(&taken, &root)
        guard case .array = taken else {
            swap(&taken, &root)
            return false
        }
        // (A consuming `guard case`, unlike a `switch`, moves the storage out without retaining it.)
        guard case .array(var items) = consume taken else { return false }
        let unique = Memory.isUnique(&items)
        if unique { items[at] = new }
        root = .array(items)
        return unique
    }

    /// Whether `root` is an array with an element at `at` that `new` may
    /// replace unchanged: an Int, Double or Bool of its own type, or a
    /// tuple, string or array over one of its own kind (what `Place.fit`
    /// passes unchanged; a struct or an optional takes the general path).
    @inline(never)
    private static func sameKindElement(_ new: Value, _ root: Value, _ at: Int) -> Bool {
        guard case .array(let items) = root, at >= 0, at < items.count else { return false }
        switch new {
        case .int: if case .int = items[at] { return true }
        case .double: if case .double = items[at] { return true }
        case .bool: if case .bool = items[at] { return true }
        case .tuple: if case .tuple = items[at] { return true }
        case .string: if case .string = items[at] { return true }
        case .array: if case .array = items[at] { return true }
        default: break
        }
        return false
    }

    @inline(never)
    private static func setElement(_ i: Instruction, _ codeRef: Unmanaged<Code>, _ r: UnsafeMutablePointer<Value>) throws {
        let code = codeRef.takeUnretainedValue()
        let node = code.assigns[i.k]
        let new = r[Int(i.b)]
        let key = r[Int(i.c)]
        try elementRoot(i, global: i.sub & 1 == 1, code, r, node.place) { root in
            if case .dictionary = root {
                // `d[k] = v` over a value of its kind: replaced where it is.
                if Place.replaceEntry(&root, key, with: new) { return }
                // `d[k] = v`: the entry itself, as `Place.apply` reaches it for one key (without its step arrays).
                return try Place.entry(&root, key, defaultValue: nil, storing: true, at: node.place.firstStepRange) { old in
                    try node.store(new, into: &old)
                }
            }
            try Place.modifyElement(&root, key: key, defaultValue: nil, at: node.place.firstStepRange) { old in
                try node.store(new, into: &old)
            }
        }
    }

    @inline(never)
    private static func compoundElement(_ i: Instruction, _ codeRef: Unmanaged<Code>, _ r: UnsafeMutablePointer<Value>) throws {
        let code = codeRef.takeUnretainedValue()
        let node = code.compounds[i.k]
        let rhs = r[Int(i.b)]
        let key = r[Int(i.c)]
        let defaultValue = i.sub & 2 == 2 ? r[Int(i.c) + 1] : nil
        try elementRoot(i, global: i.sub & 1 == 1, code, r, node.place) { root in
            // `xs[i] += 1`, `row[j] += x * y` on an Int or Double element: no path, no copy.
            if defaultValue == nil, case .int(let at) = key, case .array = root {
                return try Place.element(&root, at, at: node.place.firstStepRange) { v in
                    if case .int(let x) = v, case .int(let y) = rhs {
                        v = try Arithmetic.int(node.op, x, y, at: node.range)
                    } else if case .double(let x) = v, case .double(let y) = rhs,
                              case .double(let z) = try Arithmetic.double(node.op, x, y, at: node.range) {
                        v = .double(z)
                    } else {
                        try CompoundAssignExpr.combine(&v, rhs, op: node.op, promote: node.value.isIntegerLiteral, at: node.range)
                    }
                }
            }
            // `counts[w, default: 0] += 1`: straight to the entry (hashed once), Ints added there.
            if let d = defaultValue, case .dictionary = root {
                return try Place.entry(&root, key, defaultValue: d, storing: false, at: node.place.firstStepRange) { v in
                    if case .int(let x) = v, case .int(let y) = rhs {
                        v = try Arithmetic.int(node.op, x, y, at: node.range)
                    } else {
                        try CompoundAssignExpr.combine(&v, rhs, op: node.op, promote: node.value.isIntegerLiteral, at: node.range)
                    }
                }
            }
            try Place.modifyElement(&root, key: key, defaultValue: defaultValue, at: node.place.firstStepRange) { v in
                try CompoundAssignExpr.combine(&v, rhs, op: node.op, promote: node.value.isIntegerLiteral, at: node.range)
            }
        }
    }

    /// `xs.append(element)` when `root` holds an array; false otherwise (the
    /// tree's path then finds the member). Charged as the builtin charges.
    @inline(__always)
    private static func append(_ element: Value, to root: inout Value, _ codeRef: Unmanaged<Code>, node: Int,
                               _ rt: Runtime) throws -> Bool {
        guard case .array = root else { return false }
        var taken = Value.void
        swap(&taken, &root)
        // (A consuming `guard case` moves the array out without counting a reference to it.)
        guard case .array(var items) = consume taken else { return false }
        defer { root = .array(items) }
        do {
            // Checked here, not through a call to another file (which -O per file does not inline).
            if case .int = element, case .double? = items.first { throw CoreBuiltins.intAmongDoubles() }
            // Charged only when the append allocates: the array grows, or its storage is shared.
            if items.count == items.capacity || !Memory.isUnique(&items) {
                try CoreBuiltins.chargeGrowth(&items, adding: 1)
            }
        } catch {
            throw ErrorBoundary.cellError(error, at: codeRef.takeUnretainedValue().exprs[node].range, rt.registry)
        }
        items.append(element)
        return true
    }

    @inline(never)
    private static func slowAppend(_ element: Value, _ codeRef: Unmanaged<Code>, node: Int, _ f: Frame,
                                   _ rt: Runtime) throws -> Value {
        let n = unsafeDowncast(codeRef.takeUnretainedValue().exprs[node], to: MethodCallExpr.self)
        return try n.callMutating([element], rt, f)
    }

    /// Binds the element in `element` to a `for` loop's tuple or global
    /// target, as the tree does, and empties the temporary.
    @inline(never)
    private static func bindTarget(_ element: UnsafeMutablePointer<Value>, _ codeRef: Unmanaged<Code>, node: Int,
                                   _ f: Frame, _ rt: Runtime) throws {
        let loop = codeRef.takeUnretainedValue().fors[node]
        var v = Value.void
        swap(&v, &element.pointee)
        try loop.target.bind(v, rt, f, at: loop.range)
    }

    /// The current value of the iteration state `s` to `target`: the number
    /// of a range, or the element of an array.
    @inline(__always)
    private static func bindCurrent(_ s: UnsafeMutablePointer<Value>, to target: UnsafeMutablePointer<Value>) {
        if case .void = s[2] { target.pointee = s[0] } else { bindElement(s, to: target) }
    }

    /// An `enumerated()` loop's offset `at` to r[offset] and its element to
    /// r[element] (-1: not bound).
    @inline(__always)
    private static func bindCounted(_ at: Int, _ s: UnsafeMutablePointer<Value>, offset: Int32, element: Int,
                                    _ r: UnsafeMutablePointer<Value>) {
        if offset >= 0 { store(.int(at), at: r + Int(offset)) }
        if element >= 0 { bindElement(s, to: r + element) }
    }

    @inline(never)
    private static func bindElement(_ s: UnsafeMutablePointer<Value>, to target: UnsafeMutablePointer<Value>) {
        if case .array(let items) = s[2], case .int(let at) = s[0], at >= 0, at < items.count {
            target.pointee = items[at]
        }
    }

    @inline(__always)
    private static func compare(_ sub: UInt8, _ x: Int, _ y: Int) -> Bool {
        switch sub {
        case 10: return x == y
        case 11: return x != y
        case 12: return x < y
        case 13: return x <= y
        case 14: return x > y
        default: return x >= y
        }
    }

    private static func general(_ a: Value, _ b: Value, _ n: BinaryExpr) throws -> Value {
        try Arithmetic.apply(n.op, a, b, promoteLeft: n.promoteLeft, promoteRight: n.promoteRight, at: n.range)
    }

    private static func negate(_ v: Value, at range: SourceRange) throws -> Value {
        switch v {
        case .int(let i):
            let (r, o) = Int(0).subtractingReportingOverflow(i)
            if o { throw CellError(.overflowError, "arithmetic overflow: -(\(i)) does not fit in an Int", at: range) }
            return .int(r)
        case .double(let d): return .double(-d)
        default: throw CellError.type("unary operator '-' cannot be applied to an operand of type '\(v.typeName)'", at: range)
        }
    }

    // MARK: Calls

    /// Checks the callee before the arguments run, as the tree does, and
    /// fills the site's cache when the callee is a constant global holding
    /// a compiled user function whose labels match the call.
    private static func prepare(_ site: UnsafeMutablePointer<CallSite>, _ r: UnsafeMutablePointer<Value>,
                                _ rt: Runtime) throws {
        if let slot = site.pointee.slot {
            if slot._withUnsafeGuaranteedRef({ $0.version }) == site.pointee.version { return }
            let node = site.pointee.node
            let s = slot.takeUnretainedValue()
            guard s.isDefined else { throw CallExpr.calleeError(nil, node) }
            guard case .function(let fn) = s.value else { throw CallExpr.calleeError(s.value, node) }
            site.pointee.version = s.version
            site.pointee.function = nil
            site.pointee.code = nil
            if s.isConstant, let user = fn as? UserFunction, user.acceptsDirectly(labelKey: node.labelKey),
               let code = user.decl.compiled(rt) {
                site.pointee.function = Unmanaged.passUnretained(user)
                site.pointee.code = Unmanaged.passUnretained(code)
            }
            return
        }
        let callee = r[Int(site.pointee.calleeRegister)]
        guard case .function = callee else { throw CallExpr.calleeError(callee, site.pointee.node) }
    }

    /// Any other call: builtins, functions in variables, labels that need matching.
    private static func callGeneral(_ site: UnsafeMutablePointer<CallSite>, _ r: UnsafeMutablePointer<Value>,
                                    _ rt: Runtime) throws -> Value {
        let node = site.pointee.node
        let callee: Value
        if let slot = site.pointee.slot {
            callee = slot.takeUnretainedValue().value
        } else {
            callee = r[Int(site.pointee.calleeRegister)]
        }
        guard case .function(let fn) = callee else { throw CallExpr.calleeError(callee, node) }
        let base = r + Int(site.pointee.argumentBase)
        let args = (0..<Int(site.pointee.argumentCount)).map { base[$0] }
        return try fn.call(args, labels: node.labels(calling: fn)?.0 ?? node.labels, literals: node.literals,
                           ranges: node.ranges, callRange: node.range, rt)
    }

    // MARK: Loops and returns

    /// Sets up `for` over `sequence`: state[0] is the current position,
    /// state[1] the last, state[2] the elements (void for an Int range).
    /// False when there is nothing to iterate.
    @inline(never)
    private static func prepareLoop(_ sequence: Value, state s: UnsafeMutablePointer<Value>, _ codeRef: Unmanaged<Code>,
                                    node: Int, countsRange: Bool, _ rt: Runtime) throws -> Bool {
        // An Int range is counted in place when the loop binds a local (as on the tree).
        if countsRange, case .range(let lo, let hi, let closed) = sequence {
            if closed ? lo > hi : lo >= hi { return false }
            s[0] = .int(lo)
            s[1] = .int(closed ? hi : hi - 1)
            s[2] = .void
            return true
        }
        let items: [Value]
        do {
            items = try Sequences.elements(of: sequence, rt)
        } catch let e as CellError {
            throw e.located(codeRef.takeUnretainedValue().fors[node].sequence.range)
        }
        if items.isEmpty { return false }
        s[0] = .int(0)
        s[1] = .int(items.count - 1)
        s[2] = .array(items)
        return true
    }

    /// `forPrepare` of counted bounds (sub 3, 4) other than two Ints with
    /// something to count: the range the tree makes of them (or its error),
    /// prepared as `prepareLoop` prepares it. False when there is nothing to iterate.
    @inline(never)
    private static func prepareBounds(_ i: Instruction, _ bounds: UnsafeMutablePointer<Value>, _ state: UnsafeMutablePointer<Value>,
                                      _ codeRef: Unmanaged<Code>, _ rt: Runtime) throws -> Bool {
        let n = unsafeDowncast(codeRef.takeUnretainedValue().fors[i.k].sequence as AnyObject, to: RangeExpr.self)
        let range = try n.make(bounds[0], bounds[1])
        return try prepareLoop(range, state: state, codeRef, node: i.k, countsRange: true, rt)
    }

    /// `forPrepare` of `for (i, x) in xs.enumerated()` (see `CodeBuilder.enumeratedLoop`):
    /// when `xs` is an array whose `enumerated` is the builtin one, the loop
    /// counts over the array itself (state[3] void); otherwise it takes the
    /// tree's value and binds its tuples as the tree does (state[3] true).
    /// False when there is nothing to iterate.
    @inline(never)
    private static func prepareEnumerated(_ i: Instruction, _ r: UnsafeMutablePointer<Value>, _ codeRef: Unmanaged<Code>,
                                          _ view: inout Frame?, _ function: Unmanaged<UserFunction>?, _ rt: Runtime) throws -> Bool {
        let s = r + Int(i.b)
        if case .array(let items) = r[Int(i.a)], !rt.userTypes.extendsArray {
            if items.isEmpty { return false }
            s[0] = .int(0)
            s[1] = .int(items.count - 1)
            s[2] = r[Int(i.a)]
            s[3] = .void
            return true
        }
        let f = frame(&view, codeRef, function, r)
        let sequence = try codeRef.takeUnretainedValue().fors[i.k].sequence.eval(rt, f)
        s[3] = .bool(true)
        return try prepareLoop(sequence, state: s, codeRef, node: i.k, countsRange: false, rt)
    }

    /// `forBind` of an `enumerated()` loop: the offset to r[b] and the element
    /// to r[k] (-1: not bound), or the tree's tuple bound as the tree binds it; a step.
    @inline(never)
    private static func bindEnumerated(_ i: Instruction, _ r: UnsafeMutablePointer<Value>, _ codeRef: Unmanaged<Code>,
                                       _ view: inout Frame?, _ function: Unmanaged<UserFunction>?, _ rt: Runtime) throws {
        let s = r + Int(i.a)
        if case .void = s[3], case .int(let at) = s[0] {
            bindCounted(at, s, offset: i.b, element: i.k, r)
        } else {
            bindElement(s, to: s + 4)
            let f = frame(&view, codeRef, function, r)
            try bindTarget(s + 4, codeRef, node: Int(i.c), f, rt)
        }
        try tick(rt, at: codeRef._withUnsafeGuaranteedRef { $0.fors[Int(i.c)].range })
    }

    @inline(never)
    private static func checkedReturn(_ v: Value, _ check: UnsafeMutablePointer<ReturnCheck>) throws -> Value {
        if !check.pointee.hasValue { return .void }
        if let fast = check.pointee.fast {
            if passes(v, fast) { return v }
            if let c = fast.coerce(v, literal: check.pointee.literal) { return c }
        }
        if let t = check.pointee.type, !t.isVoid {
            guard let c = t.coerce(v, literal: check.pointee.literal) else {
                throw CellError.type("cannot convert return expression of type '\(v.typeName)' to return type '\(t.description)'",
                                     at: check.pointee.range)
            }
            return c
        }
        return v
    }
}

extension Flow {
    var isBreak: Bool {
        if case .breakLoop = self { return true }
        return false
    }
}

// Kept in this file, beside the machine: the optimiser inlines only within a file.
/// The registers of running compiled functions: a stack of Values in
/// segments that never move, so a register's address stays valid while its
/// function runs. Every register holds an initialised value (`.void` when free).
final class RegisterStack {
    fileprivate static let segmentSize = 1 << 14
    /// Each segment, with how far into it registers have been used since the last `clear`.
    fileprivate var segments: [(base: UnsafeMutablePointer<Value>, size: Int, used: Int)] = []
    fileprivate var segment = -1
    /// The current segment; before the first `take`, a placeholder (`limit` is 0).
    fileprivate let placeholder: UnsafeMutablePointer<Value>
    fileprivate var current: UnsafeMutablePointer<Value>
    fileprivate var top = 0
    fileprivate var limit = 0
    /// The current segment's use, kept here rather than in `segments` while it is current.
    fileprivate var used = 0

    init() {
        placeholder = .allocate(capacity: 1)
        current = placeholder
    }

    deinit {
        placeholder.deallocate()
        for s in segments {
            s.base.deinitialize(count: s.size)
            s.base.deallocate()
        }
    }

    /// Where the stack stood before a `take`, to give back to `release`.
    struct Mark {
        fileprivate let segment: Int
        fileprivate let top: Int
    }

    /// `count` free registers, and the mark to release them with. They may
    /// still hold what an earlier call left; writing a register releases that.
    @inline(__always)
    func take(_ count: Int) -> (UnsafeMutablePointer<Value>, Mark) {
        if segment < 0 { moveToNextSegment(fitting: 0) }
        let mark = Mark(segment: segment, top: top)
        if top &+ count > limit { moveToNextSegment(fitting: count) }
        let base = current + top
        top &+= count
        if top > used { used = top }
        return (base, mark)
    }

    /// The registers from `start` (in use by the running function, on this stack) to
    /// `count` past it, when they are in the current segment: the stack top
    /// moves up to their end if it is below, and the mark gives it back.
    @inline(__always)
    func extend(from start: UnsafeMutablePointer<Value>, count: Int) -> Mark? {
        // A cell's registers are its frame's, not on this stack.
        guard start >= current, start + count <= current + limit else { return nil }
        let mark = Mark(segment: segment, top: top)
        if start + count > current + top { top = start + count - current }
        if top > used { used = top }
        return mark
    }

    /// Gives back registers taken at `mark`. What they hold stays until they
    /// are written again or `clear` runs (when no compiled function runs).
    @inline(__always)
    func release(_ base: UnsafeMutablePointer<Value>, _ count: Int, to mark: Mark) {
        top = mark.top
        if mark.segment != segment { switchTo(mark.segment) }
    }

    /// Empties every register used since the last clear, so that values the
    /// finished calls left behind are freed. Only while nothing is taken.
    func clear() {
        guard segment <= 0 && top == 0 else { return }
        if segment >= 0 { segments[segment].used = used }
        for s in segments.indices {
            let base = segments[s].base
            for i in 0..<segments[s].used {
                if case .int = base[i] { continue }
                base[i] = .void
            }
            segments[s].used = 0
        }
        used = 0
    }

    fileprivate func switchTo(_ s: Int) {
        if segment >= 0 { segments[segment].used = used }
        segment = s
        if s >= 0 {
            current = segments[s].base
            limit = segments[s].size
            used = segments[s].used
        } else {
            current = placeholder
            limit = 0
            used = 0
        }
    }

    fileprivate func moveToNextSegment(fitting count: Int) {
        let next = segment + 1
        if next < segments.count, segments[next].size < count {
            segments[next].base.deinitialize(count: segments[next].size)
            segments[next].base.deallocate()
            segments[next] = RegisterStack.makeSegment(count)
        } else if next == segments.count {
            segments.append(RegisterStack.makeSegment(max(RegisterStack.segmentSize, count)))
        }
        switchTo(next)
        top = 0
    }

    fileprivate static func makeSegment(_ size: Int) -> (base: UnsafeMutablePointer<Value>, size: Int, used: Int) {
        let base = UnsafeMutablePointer<Value>.allocate(capacity: size)
        base.initialize(repeating: .void, count: size)
        return (base, size, 0)
    }
}

/// The compiled functions running in `Machine.run` loops: a stack of plain
/// records that grows by doubling. The bottom record of each loop is its
/// entry's, pushed by `run` itself.
final class ActivationStack {
    private var records: UnsafeMutablePointer<Machine.Activation>
    private var capacity = 64
    fileprivate(set) var count = 0

    init() { records = .allocate(capacity: capacity) }

    deinit {
        records.deinitialize(count: count)
        records.deallocate()
    }

    /// The running function's record (valid until the next push).
    fileprivate var top: UnsafeMutablePointer<Machine.Activation> { records + (count - 1) }

    @inline(__always)
    fileprivate func push(_ a: Machine.Activation) {
        if count == capacity { grow() }
        (records + count).initialize(to: a)
        count += 1
    }

    @inline(__always)
    fileprivate func pop() -> Machine.Activation {
        count -= 1
        return (records + count).move()
    }

    /// What a method running on an array's element took (see
    /// `Machine.enterElementMethod`), one per activation that restores a
    /// receiver, in the same order.
    struct Receiver {
        /// The variable the array was taken out of.
        let root: UnsafeMutablePointer<Value>
        var items: [Value]
        let index: Int
        /// The method's function, whose `self` slot holds the element.
        var function: UserFunction?
        /// The method, kept while it runs (and with it its code).
        let decl: FunctionDecl
        let scope: ObjectIdentifier?
    }
    fileprivate var receivers: [Receiver] = []

    /// The element back into its array and the array into its variable
    /// (over whatever the method left there, as the tree's walk does); the
    /// method's function kept for the next call.
    fileprivate func restoreReceiver() {
        guard var receiver = receivers.popLast() else { return }
        guard let fn = receiver.function.take() else {
            receiver.root.pointee = .array(receiver.items)
            return
        }
        if let slots = fn.captured?.slots { swap(&receiver.items[receiver.index], &slots[0]) }
        receiver.root.pointee = .array(receiver.items)
        UserTypes.keep(fn, receiver.decl, receiver.scope)
    }

    /// Notes where the running function goes on, and its frame, before it calls.
    @inline(__always)
    fileprivate func suspendTop(pc: Int, view: Frame?) {
        let t = records + (count - 1)
        t.pointee.pc = pc
        t.pointee.view = view.map { Unmanaged.passRetained($0) }
    }

    private func grow() {
        let bigger = UnsafeMutablePointer<Machine.Activation>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: records, count: count)
        records.deallocate()
        records = bigger
        capacity *= 2
    }
}
