/// `struct`, `enum`, `class`, `protocol` or `extension` at cell level: the
/// lowerer has registered the type; running the declaration ties it to the
/// runtime and gives its static stored properties their values.
final class TypeDeclStmt: Stmt {
    let type: UserType
    /// Static stored properties: their slots and initial values (as functions of no arguments).
    let statics: [(GlobalSlot, FunctionDecl?, TypeRef?)]
    let range: SourceRange

    init(type: UserType, statics: [(GlobalSlot, FunctionDecl?, TypeRef?)], range: SourceRange) {
        self.type = type
        self.statics = statics
        self.range = range
    }

    func exec(_ rt: Runtime, _ f: Frame) throws -> Flow {
        type.captured = f
        type.link = rt.link
        for (slot, initial, t) in statics {
            var me = Value.type(type.name)
            var v = Value.void
            if let initial {
                v = try UserTypes.invoke(initial, of: type, self: &me, args: [], labels: [], callRange: range, rt)
                if let t, let c = t.coerce(v, literal: true) { v = c }
            }
            slot.value = v
            slot.isDefined = true
            slot.isConstant = false
            slot.version &+= 1
        }
        return .normal
    }
}

/// `Fish(name: "cod", length: 30)`: a user type's initializer.
final class ConstructExpr: Expr {
    let typeName: String
    let table: UserTypeTable
    let args: [Expr]
    let labels: [String?]
    let literals: [Bool]
    let ranges: [SourceRange]
    let range: SourceRange

    init(typeName: String, table: UserTypeTable, args: [Expr], labels: [String?], range: SourceRange) {
        self.typeName = typeName
        self.table = table
        self.args = args
        self.labels = labels
        self.literals = args.map(\.isLiteral)
        self.ranges = args.map(\.range)
        self.range = range
    }

    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        let type = try resolvedType()
        return try construct(type, try evalArguments(args, rt, f), rt)
    }

    /// The type last found, unretained: valid while the table's `typesChanged` is `foundAt`.
    private var found: Unmanaged<UserType>?
    private var foundAt = -1

    /// The type the name has now (looked up again only after the notebook's types changed).
    @inline(__always)
    func resolvedType() throws -> UserType {
        if foundAt == table.typesChanged, let t = found { return t.takeUnretainedValue() }
        guard let t = table.types[typeName] else {
            throw CellError(.nameError, "cannot find '\(typeName)' in scope", at: range)
        }
        found = Unmanaged.passUnretained(t)
        foundAt = table.typesChanged
        return t
    }

    /// An instance of `type` from the arguments' values.
    func construct(_ type: UserType, _ argv: [Value], _ rt: Runtime) throws -> Value {
        try UserTypes.construct(type, args: argv, labels: labels, literals: literals, ranges: ranges,
                                callRange: range, rt)
    }
}

/// A `ConstructExpr` in compiled code whose arguments the machine computed
/// into the registers from `first` on (run by `evalExpr` over the frame
/// that views the registers). Compiled only for a type declared by then:
/// types are never undeclared, so the lookup the tree makes before the
/// arguments cannot fail after them.
final class RegisterConstructExpr: Expr {
    let node: ConstructExpr
    let first: Int
    var range: SourceRange { node.range }

    init(_ node: ConstructExpr, first: Int) {
        self.node = node
        self.first = first
    }

    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        let type = try node.resolvedType()
        var argv: [Value] = []
        argv.reserveCapacity(node.args.count)
        for j in 0..<node.args.count {
            var v = Value.void
            swap(&v, &f.slots[first + j])
            argv.append(v)
        }
        return try node.construct(type, argv, rt)
    }
}

/// `.circle` or `.circle(radius: 2)` where only one enum of the notebook has
/// that case: the case itself (or its constructor).
final class ImplicitCaseExpr: Expr {
    let name: String
    let table: UserTypeTable
    let range: SourceRange

    init(name: String, table: UserTypeTable, range: SourceRange) {
        self.name = name
        self.table = table
        self.range = range
    }

    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        let enums = table.enumsHaving(name)
        guard enums.count == 1, let t = enums.first else { return .symbol(name) }
        return try UserTypes.staticGet(t, name, rt, at: range) ?? .symbol(name)
    }
}

/// `super.name` and `super.name(args)` inside a class's methods: the
/// superclass's member, run on the same object.
final class SuperMemberExpr: Expr {
    /// The class whose method contains `super`.
    let declaringType: UserType
    let selfExpr: Expr
    let name: String
    /// Nil when the member is read rather than called.
    let args: [Expr]?
    let labels: [String?]
    let range: SourceRange

    init(declaringType: UserType, selfExpr: Expr, name: String, args: [Expr]?, labels: [String?], range: SourceRange) {
        self.declaringType = declaringType
        self.selfExpr = selfExpr
        self.name = name
        self.args = args
        self.labels = labels
        self.range = range
    }

    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        guard let sup = declaringType.superclass else {
            throw CellError.type("'super' members cannot be referenced in a class without a superclass", at: range)
        }
        var me = try selfExpr.eval(rt, f)
        let argv = try args.map { try evalArguments($0, rt, f) }
        if name == "init" {
            guard let owner = sup.lineage.first(where: { !$0.inits.isEmpty }) else {
                return .void  // the superclass's implicit init sets nothing
            }
            let decl = UserTypes.chooseInit(owner.inits, labels: labels)
            _ = try UserTypes.invoke(decl, of: owner, self: &me, args: argv ?? [], labels: labels, ranges: [],
                                     callRange: range, rt)
            return .void
        }
        if let argv {
            if let (owner, ms) = sup.findMethods(name) {
                return try UserTypes.invoke(UserTypes.choose(ms, labels: labels).decl, of: owner, self: &me, args: argv,
                                            labels: labels, callRange: range, rt)
            }
            throw UserTypes.noMember(name, of: me, sup, isStatic: false, at: range)
        }
        if let c = sup.findComputed(name) {
            return try UserTypes.invoke(c.getter, of: sup, self: &me, args: [], labels: [], callRange: range, rt)
        }
        return try UserTypes.get(me, name, rt, at: range) ?? .void
    }
}

/// `a === b` and `a !== b`: whether two class instances are the same object.
final class IdentityExpr: Expr {
    let lhs: Expr
    let rhs: Expr
    let negated: Bool
    let range: SourceRange

    init(lhs: Expr, rhs: Expr, negated: Bool, range: SourceRange) {
        self.lhs = lhs
        self.rhs = rhs
        self.negated = negated
        self.range = range
    }

    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        let a = try lhs.eval(rt, f)
        let b = try rhs.eval(rt, f)
        func object(_ v: Value) -> AnyObject?? {
            switch v {
            case .object(let o): return .some(o)
            case .optional(nil): return .some(nil)
            case .optional(let w?): return object(w)
            default: return nil
            }
        }
        guard let x = object(a), let y = object(b) else {
            let bad = object(a) == nil ? a : b
            throw CellError.type("'\(negated ? "!==" : "===")' compares class instances, not values of type '\(bad.typeName)'",
                                 at: range, notes: ["use \(negated ? "!=" : "==") to compare values"])
        }
        return .bool((x === y) != negated)
    }
}
