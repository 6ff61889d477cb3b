/// Changes through places with members, compiled: `p.position.x += v.x * dt`,
/// `ps[i].x = 0`, `particles[i].step(0.1)`. The keys of the place's
/// subscripts are computed into registers; the machine walks the steps in
/// place, finding each stored property by the index its last type had there
/// (no name looked up), and hands any step it does not know (a computed
/// property, a class instance, a dictionary) with the rest of the path to
/// `Place.apply`, the tree's own walk.
final class PlaceSite {
    let place: Place
    /// The assignment, compound assignment or method call.
    let node: Expr
    /// Per step: the user type whose stored property the step last reached, and that property's index.
    var types: [UserType?]
    var indices: [Int]
    /// Per step: the register offset of its first key, from the first key's register.
    let keyOffsets: [Int]
    let keyCount: Int

    /// `node`'s address, for `withNode`.
    private let nodeAddress: UnsafeMutableRawPointer

    /// `body` on the node as the `T` it is, borrowed (`node` keeps it).
    @inline(__always)
    func withNode<T: AnyObject, R>(_ type: T.Type, _ body: (T) throws -> R) rethrows -> R {
        try Unmanaged<T>.fromOpaque(nodeAddress)._withUnsafeGuaranteedRef(body)
    }

    init(place: Place, node: Expr) {
        self.place = place
        self.node = node
        nodeAddress = Unmanaged.passUnretained(node as AnyObject).toOpaque()
        types = Array(repeating: nil, count: place.steps.count)
        indices = Array(repeating: 0, count: place.steps.count)
        var offsets: [Int] = []
        var n = 0
        for step in place.steps {
            offsets.append(n)
            if case .subscripted(let keys, _, _) = step { n += keys.count }
        }
        keyOffsets = offsets
        keyCount = n
        if place.steps.count == 1, case .subscripted(let keys, let labels, _) = place.steps[0], keys.count == 1,
           labels[0] == nil {
            oneElement = true
        } else {
            oneElement = false
        }
        switch place.root {
        case .local(let i): (rootLocal, rootOuter, rootGlobal) = (i, -1, nil)
        case .outer(_, let i): (rootLocal, rootOuter, rootGlobal) = (-1, i, nil)
        case .global(let slot): (rootLocal, rootOuter, rootGlobal) = (-1, -1, Unmanaged.passUnretained(slot))
        }
        storedOnly = !place.steps.isEmpty && place.steps.allSatisfy { if case .member = $0 { return true } else { return false } }
        elementsOnly = !place.steps.isEmpty && place.steps.allSatisfy {
            if case .subscripted(let keys, let labels, _) = $0 { return keys.count == 1 && labels[0] == nil } else { return false }
        }
        if case .local(let slot) = place.root, place.steps.count == 1, case .member(let name, let r) = place.steps[0] {
            localMember = slot
            memberName = name
            memberRange = r
        } else {
            localMember = -1
            memberName = ""
            memberRange = place.range
        }
    }

    /// Every step is a member (`a.b.c`), for `uniqueStoredLeaf(from:)`.
    let storedOnly: Bool
    /// Every step is one unlabeled subscript (`grid[i][j]`), for `uniqueElementLeaf(from:keys:)`.
    let elementsOnly: Bool
    /// The root's register, or its slot in the frame it is in (-1: not such a root), for `rootValue`.
    private let rootLocal: Int
    private let rootOuter: Int
    /// The root's global slot (`place` keeps it).
    private let rootGlobal: Unmanaged<GlobalSlot>?
    /// `Value.instancesCanBeBorrowed` and `Value.arraysCanBeBorrowed`, read once.
    private let borrows = Value.instancesCanBeBorrowed
    private let arraysBorrow = Value.arraysCanBeBorrowed
    /// The place is one element of its root (`xs[i]`), for `elementCall`.
    let oneElement: Bool

    /// What the machine needs to run `xs[i].step(0.1)` as one of its own
    /// calls: the variable holding the array, the element's index, and the
    /// method this call site chose for the element's type, compiled (kept
    /// alive by `elementMethod`, so not counted here).
    struct ElementCall {
        let root: UnsafeMutablePointer<Value>
        let index: Int
        let type: Unmanaged<UserType>
        let decl: Unmanaged<FunctionDecl>
        let code: Unmanaged<Code>
    }

    /// The element type the last element call saw, its method and that
    /// method's code, while no member was added since.
    private var elementMethod: (type: UserType, decl: FunctionDecl, code: Code)?
    private var elementType: ObjectIdentifier?
    private var elementGeneration = -1
    private var elementDecl: Unmanaged<FunctionDecl>?
    private var elementCode: Unmanaged<Code>?

    /// The element call when the place is one element of an array in a
    /// local, outer or defined global variable, in range, holding an
    /// instance whose method the call site chose and compiled; nil
    /// otherwise. Nothing is changed.
    @inline(__always)
    func elementCall(_ node: MethodCallExpr, _ values: UnsafeMutablePointer<Value>, _ r: UnsafeMutablePointer<Value>,
                     outer: UnsafeMutablePointer<Value>?, _ rt: Runtime) throws -> ElementCall? {
        guard oneElement, borrows, arraysBorrow, case .int(let index) = values[node.args.count] else { return nil }
        guard let root = rootPointer(r, outer: outer), case .array = root.pointee else { return nil }
        // The array's buffer, borrowed as the instance is (the variable keeps it).
        let buffer = UnsafeRawPointer(root).load(as: UnsafeRawPointer.self)
        let count = buffer.load(fromByteOffset: 16, as: Int.self)
        guard index >= 0, index < count else { return nil }
        let element = (buffer + 32).assumingMemoryBound(to: Value.self) + index
        // (`Value.borrowedInstance(at:)`, written out: it is in another file, so it would not be inlined.)
        guard case .instance = element.pointee else { return nil }
        let inst = Unmanaged<Instance>.fromOpaque(UnsafeRawPointer(element).load(as: UnsafeRawPointer.self))
        let type = inst._withUnsafeGuaranteedRef { Unmanaged.passUnretained($0.type) }
        if ObjectIdentifier(type.takeUnretainedValue()) == elementType, rt.userTypes.generation == elementGeneration,
           rt.compilesFunctions, let decl = elementDecl, let code = elementCode {
            return ElementCall(root: root, index: index, type: type, decl: decl, code: code)
        }
        let owner = type.takeUnretainedValue()
        guard let (decl, code) = try node.compiledMethod(for: owner, rt) else { return nil }
        elementMethod = (owner, decl, code)
        elementType = ObjectIdentifier(owner)
        elementGeneration = rt.userTypes.generation
        elementDecl = Unmanaged.passUnretained(decl)
        elementCode = Unmanaged.passUnretained(code)
        return ElementCall(root: root, index: index, type: type, decl: Unmanaged.passUnretained(decl),
                           code: Unmanaged.passUnretained(code))
    }

    /// For `p.x op= v` on a local `p`: its register, the member's name and range (-1: another place).
    let localMember: Int
    let memberName: String
    let memberRange: SourceRange

    /// `p.x op= rhs` when the local `p` holds a tuple whose element `x`
    /// (where the site last found the label) and `rhs` are both Doubles or
    /// both Ints: changed in place (its elements copied first, and charged
    /// as the walk charges, when another value shares them), without the
    /// walk's closures. False, with nothing changed, when anything else
    /// holds (the walk then promotes or reports).
    @inline(__always)
    func combineLocalMember(_ node: CompoundAssignExpr, _ rhs: Value, _ r: UnsafeMutablePointer<Value>) throws -> Bool {
        guard localMember >= 0 else { return false }
        let root = r + localMember
        guard case .tuple = root.pointee else { return false }
        var taken = Value.void
        swap(&taken, &root.pointee)
        // (A consuming `guard case` moves the tuple out without retaining its arrays.)
        guard case .tuple(var t) = consume taken else { return false }
        defer { root.pointee = .tuple(t) }
        let k = indices[0]
        guard types[0] == nil, k < t.labels.count, t.labels[k] == memberName else { return false }
        let new: Value
        if case .double(let x) = t.elements[k], case .double(let y) = rhs,
           case .double(let z) = try Arithmetic.double(node.op, x, y, at: node.range) {
            new = .double(z)
        } else if case .int(let x) = t.elements[k], case .int(let y) = rhs {
            new = try Arithmetic.int(node.op, x, y, at: node.range)
        } else {
            return false
        }
        if !Memory.isUnique(&t.elements) {
            try Memory.charge(Memory.values(t.elements.count), "copying this value to change it", at: memberRange)
        }
        t.elements[k] = new
        return true
    }

    /// The value at the end of a path of stored properties only (`position.x`,
    /// `p.velocity.y`), reached in place from `root` when every struct
    /// instance and field storage on the way is this path's alone (so that
    /// changing it changes nothing else) and each step's type is the one the
    /// walk last remembered there; nil, with nothing changed, otherwise (the
    /// walk then copies, charges, reports). The pointer is valid until the
    /// root's value is next changed or released.
    @inline(__always)
    func uniqueStoredLeaf(from root: UnsafeMutablePointer<Value>) -> UnsafeMutablePointer<Value>? {
        guard storedOnly, borrows, arraysBorrow else { return nil }
        var p = root
        for j in 0..<types.count {
            guard case .instance = p.pointee else { return nil }
            let reference = UnsafeMutableRawPointer(p).assumingMemoryBound(to: Instance.self)
            guard isKnownUniquelyReferenced(&reference.pointee) else { return nil }
            let k = indices[j]
            let inst = Unmanaged<Instance>.fromOpaque(UnsafeRawPointer(reference).load(as: UnsafeRawPointer.self))
            let next: UnsafeMutablePointer<Value>? = inst._withUnsafeGuaranteedRef { inst in
                guard inst.type === types[j], k < inst.fields.count, storageIsUnique(&inst.fields) else { return nil }
                // Unshared, so changed in place: its elements are where the array's storage keeps them.
                let storage = withUnsafeMutablePointer(to: &inst.fields) {
                    UnsafeMutableRawPointer($0).load(as: UnsafeMutableRawPointer.self)
                }
                return (storage + 32).assumingMemoryBound(to: Value.self) + k
            }
            guard let next else { return nil }
            p = next
        }
        return p
    }

    /// The element at the end of a path of subscripts only (`grid[i][j]`),
    /// reached in place from `root` when every array on the way is an array
    /// whose storage is this path's alone and every key an Int in range; nil,
    /// with nothing changed, otherwise (the walk then copies, charges,
    /// reports). The pointer is valid until the root's value is next changed
    /// or released.
    @inline(__always)
    func uniqueElementLeaf(from root: UnsafeMutablePointer<Value>,
                           keys: UnsafeMutablePointer<Value>) -> UnsafeMutablePointer<Value>? {
        guard elementsOnly, arraysBorrow else { return nil }
        var p = root
        for j in 0..<keyOffsets.count {
            guard case .array = p.pointee, case .int(let i) = keys[keyOffsets[j]] else { return nil }
            // (The array is the value's payload, as `Value.arraysCanBeBorrowed` checked.)
            let items = UnsafeMutableRawPointer(p).assumingMemoryBound(to: [Value].self)
            guard i >= 0, i < items.pointee.count, storageIsUnique(&items.pointee) else { return nil }
            let storage = UnsafeMutableRawPointer(items).load(as: UnsafeMutableRawPointer.self)
            p = (storage + 32).assumingMemoryBound(to: Value.self) + i
        }
        return p
    }

    /// `uniqueElementLeaf` from the place's root variable (nil for another kind of place).
    @inline(__always)
    func elementLeaf(_ r: UnsafeMutablePointer<Value>, outer: UnsafeMutablePointer<Value>?,
                     keys: UnsafeMutablePointer<Value>) -> UnsafeMutablePointer<Value>? {
        guard elementsOnly, let root = rootPointer(r, outer: outer) else { return nil }
        return uniqueElementLeaf(from: root, keys: keys)
    }

    /// The root variable's value: a local or outer variable's, or a defined
    /// global's (whose stored value stays where it is while the slot lives;
    /// the place keeps the slot).
    @inline(__always)
    func rootPointer(_ r: UnsafeMutablePointer<Value>, outer: UnsafeMutablePointer<Value>?) -> UnsafeMutablePointer<Value>? {
        if let global = rootGlobal {
            return global._withUnsafeGuaranteedRef { slot in
                slot.isDefined ? withUnsafeMutablePointer(to: &slot.value) { $0 } : nil
            }
        }
        return rootValue(r, outer: outer)
    }

    /// The subscripts' key expressions, in order.
    var keys: [Expr] {
        place.steps.flatMap { step -> [Expr] in
            if case .subscripted(let keys, _, _) = step { return keys }
            return []
        }
    }

    /// Whether a change through `place` is compiled: no `?` or `!` on the
    /// way, subscripts of one key or `[k, default: d]`, and a root that need
    /// not be checked for being a 'let'.
    static func compiles(_ place: Place) -> Bool {
        guard !place.checksConstantRoot else { return false }
        for step in place.steps {
            switch step {
            case .member: continue
            case .unwrap: return false
            case .subscripted(let keys, let labels, _):
                guard (keys.count == 1 && labels[0] == nil) || (keys.count == 2 && labels[0] == nil && labels[1] == "default")
                else { return false }
            }
        }
        return true
    }

    static func hasMember(_ place: Place) -> Bool {
        place.steps.contains { if case .member = $0 { return true } else { return false } }
    }

    /// Runs `body` on the value at the end of the place, whose root value is
    /// `v` (taken out of its variable) and whose keys are in `keys`.
    func walk<R>(_ v: inout Value, _ j: Int, _ keys: UnsafeMutablePointer<Value>,
                 _ body: (inout Value) throws -> R) throws -> R {
        if j == place.steps.count { return try body(&v) }
        switch place.steps[j] {
        case .member(let name, let r):
            if case .tuple(var t) = v {
                // `p.x += 1` on a labeled tuple: the label where it was last found, checked
                // (written out, not `Members.tupleIndex(_:_:cached:)`: a call to another file costs 8 % of particles here).
                var k = indices[j]
                if !(types[j] == nil && k < t.labels.count && t.labels[k] == name) {
                    guard let found = Members.tupleIndex(t, name) else { break }
                    types[j] = nil
                    indices[j] = found
                    k = found
                }
                v = .void
                defer { v = .tuple(t) }
                if !Memory.isUnique(&t.elements) {
                    try Memory.charge(Memory.values(t.elements.count), "copying this value to change it", at: r)
                }
                return try walk(&t.elements[k], j + 1, keys, body)
            }
            guard case .instance(var inst) = v else { break }
            var k = indices[j]
            if inst.type !== types[j] {
                // Only a 'var' stored property is remembered ('let' ones are checked by the tree).
                guard let s = inst.type.storedIndex[name], !inst.type.stored[s].isConstant else { break }
                types[j] = inst.type
                indices[j] = s
                k = s
            }
            guard k < inst.fields.count else { break }
            v = .void
            Instance.changing(&inst)
            defer { v = .instance(inst) }
            if !Memory.isUnique(&inst.fields) {
                try Memory.charge(Memory.values(inst.fields.count), "copying this value to change it", at: r)
            }
            return try walk(&inst.fields[k], j + 1, keys, body)
        case .subscripted(let exprs, _, let r):
            guard exprs.count == 1, case .int(let i) = keys[keyOffsets[j]], case .array = v else { break }
            return try Place.element(&v, i, at: r) { try walk(&$0, j + 1, keys, body) }
        case .unwrap:
            break
        }
        // The tree's walk for the rest of the path.
        var rest: [Place.Resolved] = []
        for s in j..<place.steps.count {
            var vals: [Value] = []
            if case .subscripted(let exprs, _, _) = place.steps[s] {
                for e in 0..<exprs.count { vals.append(keys[keyOffsets[s] + e]) }
            }
            rest.append(try Place.resolve(place.steps[s], keys: vals))
        }
        return try Place.apply(&v, rest[...], body)
    }

    /// The root variable's value when it is a local or outer variable
    /// (`outer`: the slots of the frame it is in).
    @inline(__always)
    func rootValue(_ r: UnsafeMutablePointer<Value>, outer: UnsafeMutablePointer<Value>?) -> UnsafeMutablePointer<Value>? {
        if rootLocal >= 0 { return r + rootLocal }
        if rootOuter >= 0, let outer { return outer + rootOuter }
        return nil
    }

    /// `body` on the place: its root variable (a register, a slot of `outer`,
    /// or a global) is taken out while the path is walked, as `Place.modify` does.
    func change<R>(_ r: UnsafeMutablePointer<Value>, outer: UnsafeMutablePointer<Value>?, keys: UnsafeMutablePointer<Value>,
                   _ body: (inout Value) throws -> R) throws -> R {
        let root: UnsafeMutablePointer<Value>
        switch place.root {
        case .local(let i): root = r + i
        case .outer(_, let i):
            guard let outer else { throw CellError.type("'\(place.name)' is not reachable here", at: place.range) }
            root = outer + i
        case .global(let slot):
            guard slot.isDefined else { throw CellError.usedBeforeDeclared(slot.name, at: place.range) }
            var v = Value.void
            swap(&v, &slot.value)
            defer { swap(&v, &slot.value) }
            return try walk(&v, 0, keys, body)
        }
        var v = Value.void
        swap(&v, &root.pointee)
        defer { swap(&v, &root.pointee) }
        return try walk(&v, 0, keys, body)
    }
}

extension Machine {
    /// `r[a] = exprs[k].name` of `r[b]` (sub 1: `r[b]` is a temporary, emptied first).
    static func member(_ i: Instruction, _ codeRef: Unmanaged<Code>, _ r: UnsafeMutablePointer<Value>,
                       _ rt: Runtime) throws -> Value {
        let node = codeRef._withUnsafeGuaranteedRef { unsafeDowncast($0.exprs[i.k] as AnyObject, to: MemberExpr.self) }
        if i.sub == 1 {
            var base = Value.void
            swap(&base, &r[Int(i.b)])
            return try node.value(of: base, rt)
        }
        if let v = node.tupleElement(in: r + Int(i.b)) { return v }
        return try node.value(of: r[Int(i.b)], rt)
    }

    /// `changePlace`: placeSites[b] with its values (the assigned value, or
    /// the call's arguments) from r[c...], then its keys; the result in r[a].
    /// False when a method call turns out not to be mutating (the tree then
    /// runs the call whole: its arguments and keys have no effects).
    static func changePlace(_ i: Instruction, _ codeRef: Unmanaged<Code>, _ r: UnsafeMutablePointer<Value>,
                            outer: UnsafeMutablePointer<Value>?, _ rt: Runtime) throws -> Bool {
        // The site and its node are borrowed from the code, which keeps them (no retain per change).
        let site = codeRef._withUnsafeGuaranteedRef { code in
            code.placeSites.withUnsafeBufferPointer { Unmanaged.passUnretained($0[Int(i.b)]) }
        }
        return try site._withUnsafeGuaranteedRef { site in
            switch i.sub {
            case 0: return try site.withNode(AssignExpr.self) { try changePlace(i, site, $0, r, outer: outer, rt) }
            case 1: return try site.withNode(CompoundAssignExpr.self) { try changePlace(i, site, $0, r, outer: outer, rt) }
            default: return try site.withNode(MethodCallExpr.self) { try changePlace(i, site, $0, r, outer: outer, rt) }
            }
        }
    }

    @inline(__always)
    private static func changePlace(_ i: Instruction, _ site: PlaceSite, _ node: AssignExpr, _ r: UnsafeMutablePointer<Value>,
                                    outer: UnsafeMutablePointer<Value>?, _ rt: Runtime) throws -> Bool {
        let values = r + Int(i.c)
        var new = Value.void
        swap(&new, &values[0])
        // `grid[i][j] = v`: an Int or Double replacing one of its own type, where it is
        // (as `AssignExpr.store` lets it replace it).
        if let leaf = site.elementLeaf(r, outer: outer, keys: values + 1) {
            switch (leaf.pointee, new) {
            case (.int, .int(let v)):
                leaf.pointee = .int(v)
                r[Int(i.a)] = .void
                return true
            case (.double, .double(let v)):
                leaf.pointee = .double(v)
                r[Int(i.a)] = .void
                return true
            default: break
            }
        }
        try site.change(r, outer: outer, keys: values + 1) { old in try node.store(new, into: &old) }
        r[Int(i.a)] = .void
        return true
    }

    @inline(__always)
    private static func changePlace(_ i: Instruction, _ site: PlaceSite, _ node: CompoundAssignExpr,
                                    _ r: UnsafeMutablePointer<Value>, outer: UnsafeMutablePointer<Value>?,
                                    _ rt: Runtime) throws -> Bool {
        let values = r + Int(i.c)
        var rhs = Value.void
        swap(&rhs, &values[0])
        if try site.combineLocalMember(node, rhs, r) {
            r[Int(i.a)] = .void
            return true
        }
        if let root = site.rootValue(r, outer: outer), let leaf = site.uniqueStoredLeaf(from: root),
           case .double(let x) = leaf.pointee, case .double(let y) = rhs, let z = combinedDouble(node.op, x, y) {
            leaf.pointee = .double(z)
            r[Int(i.a)] = .void
            return true
        }
        // `grid[i][j] += k`: Ints or Doubles changed where they are.
        if let leaf = site.elementLeaf(r, outer: outer, keys: values + 1) {
            if case .int(let x) = leaf.pointee, case .int(let y) = rhs, let z = combinedInt(node.op, x, y) {
                leaf.pointee = .int(z)
                r[Int(i.a)] = .void
                return true
            }
            if case .double(let x) = leaf.pointee, case .double(let y) = rhs, let z = combinedDouble(node.op, x, y) {
                leaf.pointee = .double(z)
                r[Int(i.a)] = .void
                return true
            }
        }
        try site.change(r, outer: outer, keys: values + 1) { v in
            if case .double(let x) = v, case .double(let y) = rhs,
               case .double(let z) = try Arithmetic.double(node.op, x, y, at: node.range) {
                v = .double(z)
            } else {
                try CompoundAssignExpr.combine(&v, rhs, op: node.op, promote: node.value.isIntegerLiteral, at: node.range)
            }
        }
        r[Int(i.a)] = .void
        return true
    }

    @inline(__always)
    private static func changePlace(_ i: Instruction, _ site: PlaceSite, _ node: MethodCallExpr,
                                    _ r: UnsafeMutablePointer<Value>, outer: UnsafeMutablePointer<Value>?,
                                    _ rt: Runtime) throws -> Bool {
        let values = r + Int(i.c)
        guard node.isMutating(rt) else { return false }
        r[Int(i.a)] = try site.change(r, outer: outer, keys: values + node.args.count) { v in
            if let result = try node.callTaking(on: &v, values, rt) { return result }
            var argv: [Value] = []
            argv.reserveCapacity(node.args.count)
            for j in 0..<node.args.count {
                var a = Value.void
                swap(&a, &values[j])
                argv.append(a)
            }
            return try node.call(on: &v, argv, constant: false, rt)
        }
        return true
    }
}

extension CodeBuilder {
    /// `base.name` (other than `count`).
    mutating func memberGet(_ m: MemberExpr, into dst: Int?) throws -> Int {
        let d = dst ?? temp()
        if let (chain, root) = MemberChain.of(m) {
            // k: the chain's address; `exprs` keeps it.
            exprs.append(chain)
            let k = Int(bitPattern: Unmanaged.passUnretained(chain).toOpaque())
            if let o = root as? OuterGet {
                emit(.member, sub: 3, a: d, b: o.depth, c: o.index, k: k)
            } else if let l = root as? LocalGet {
                emit(.member, sub: 2, a: d, b: l.index, k: k)
            }
            return d
        }
        let mark = next
        let base = try expr(m.base, into: nil)
        emit(.member, sub: base >= mark ? 1 : 0, a: d, b: base, k: appended(m, to: &exprs))
        next = mark
        return d
    }

    /// An assignment, compound assignment or mutating call through `place`:
    /// `values` (computed first, as the tree computes them), then the keys.
    mutating func changePlace(_ place: Place, node: Expr, kind: UInt8, values: [Expr], into dst: Int?) throws -> Int {
        let d = dst ?? temp()
        let mark = next
        let site = PlaceSite(place: place, node: node)
        let first = try consecutive(values + site.keys)
        var depth = -1
        if case .outer(let n, _) = place.root { depth = n }
        emit(.changePlace, sub: kind, a: d, b: appended(site, to: &placeSites), c: first, k: depth)
        next = mark
        return d
    }
}

/// `x op y` for the Int compound operators `+=`, `-=` and `*=`; nil on
/// overflow or for another operator (the walk then reports or combines).
@inline(__always)
private func combinedInt(_ op: BinaryOp, _ x: Int, _ y: Int) -> Int? {
    let (r, o): (Int, Bool)
    switch op {
    case .add: (r, o) = x.addingReportingOverflow(y)
    case .sub: (r, o) = x.subtractingReportingOverflow(y)
    case .mul: (r, o) = x.multipliedReportingOverflow(by: y)
    default: return nil
    }
    return o ? nil : r
}

/// `x op y` for the compound assignments of Doubles that cannot fail (`+=`,
/// `-=`, `*=`, `/=`); nil for the others (which `Arithmetic.double` reports).
/// Here, not there, so that the compiled change inlines it (the kernel is
/// built a file at a time).
@inline(__always)
private func combinedDouble(_ op: BinaryOp, _ x: Double, _ y: Double) -> Double? {
    switch op {
    case .add: return x + y
    case .sub: return x - y
    case .mul: return x * y
    case .div: return x / y
    default: return nil
    }
}

/// `Memory.isUnique`, here so that the compiled change inlines it.
@inline(__always)
private func storageIsUnique(_ items: inout [Value]) -> Bool {
    if items.capacity == 0 { return true }
    return withUnsafeMutablePointer(to: &items) { p in
        p.withMemoryRebound(to: AnyObject.self, capacity: 1) { isKnownUniquelyReferenced(&$0.pointee) }
    }
}
