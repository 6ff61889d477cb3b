import SwiftSyntax

/// The builtin type names every cell knows.
let coreTypeNames: Set<String> = [
    "Int", "Double", "Float", "Bool", "String", "Character", "Any", "Void", "Array", "Dictionary",
    "Range", "ClosedRange", "Optional", "Set",
]

/// Lowers one parsed cell from SwiftSyntax to the project's AST, resolving
/// every name to a local slot, a notebook global or a builtin. Anything it
/// cannot run becomes one clear diagnostic.
final class Lowerer {
    let registry: BuiltinRegistry
    let globals: GlobalTable
    /// Globals declared so far in this cell: name → (slot, constant, type).
    var cellGlobals: [String: (GlobalSlot, Bool, TypeRef?)] = [:]
    var scope: FunctionScope
    private var builtinValues: [String: BuiltinFunctionValue] = [:]

    /// The interpreter's number for this cell's run, stamped on every range.
    let cell: Int
    /// Builtins and types before globals: a grader's checks call Shoal's own
    /// `check` and builtins, whatever names the submission declared.
    var builtinsFirst = false
    /// Builtin names this cell declares at its top level (`func check`,
    /// `let print`), in order: the session tells the learner once.
    private(set) var shadowedBuiltins: [String] = []
    /// Globals known to hold a user type (`let t = Tank(…)`), by slot.
    var receiverTypes: [ObjectIdentifier: UserType] = [:]
    /// Per type being lowered: its methods whose every overload `throws`.
    var throwingMethodNames: [ObjectIdentifier: Set<String>] = [:]
    /// `self.init(…)` calls of the type being lowered, checked once its initializers are known.
    var delegations: [SelfInitExpr] = []
    /// Case names used in a `switch` or `if case` on `self` inside an enum, checked once its cases are declared.
    var pendingCaseNames: [(type: UserType, name: String, at: SourceRange)] = []
    /// Types a cell declares, registered before its statements are lowered.
    var typeShells: [SyntaxIdentifier: UserType] = [:]
    /// The type whose member is being lowered (`self` and implicit members).
    var typeContext: TypeContext?
    /// Generic parameter names in scope (`T` in `func f<T>`): any type.
    var genericNames: [String] = []
    /// Set while a type's method is lowered: its modifiers were checked there.
    var loweringMember = false
    /// How many `try`s the expression being lowered sits under (0 again in
    /// a closure or function body).
    var tryDepth = 0
    /// Globals this cell declares as `func … throws`.
    var cellThrowingFunctions: Set<String> = []
    /// Variables declared without a value and not assigned yet in the text
    /// (`Lowerer+Initialization`), and notebook variables this cell assigns.
    var unassigned: Set<UnassignedVariable> = []
    var assignedNotebookVariables: Set<ObjectIdentifier> = []
    /// 'let's declared without a value in a function, which an assignment sets.
    var deferredConstants: Set<UnassignedVariable> = []
    /// The types whose declarations are being lowered, outermost first: a
    /// nested type's simple name (`Kind` in `Tank`) means `Tank.Kind` there.
    var typeNameScopes: [String] = []

    init(registry: BuiltinRegistry, globals: GlobalTable, cell: Int = 0) {
        self.registry = registry
        self.globals = globals
        self.cell = cell
        self.scope = FunctionScope(parent: nil, isTopLevel: true, returnType: nil, name: "cell")
    }

    /// The cell's text as UTF-8 bytes and the root of its syntax tree, for `text(of:)`.
    var source: (text: String, root: SyntaxIdentifier)?
    /// The cell's UTF-8, made on the first `text(of:)` (most cells ask for none).
    private lazy var sourceBytes: [UInt8] = source.map { Array($0.text.utf8) } ?? []

    /// A node's text without its leading and trailing trivia: the cell's
    /// own bytes between the node's positions. SwiftSyntax's
    /// `trimmedDescription` builds a trimmed copy of the node first, about a
    /// fifth of lowering a cell of two small functions. Nodes made by the
    /// lowerer (not in the cell's tree) go through `trimmedDescription`.
    func text(of node: some SyntaxProtocol) -> String {
        if let source, node.root.id == source.root {
            let start = node.positionAfterSkippingLeadingTrivia.utf8Offset
            let end = node.endPositionBeforeTrailingTrivia.utf8Offset
            if 0 <= start, start <= end, end <= sourceBytes.count {
                return String(decoding: sourceBytes[start..<end], as: UTF8.self)
            }
        }
        return node.trimmedDescription
    }

    func range(_ node: some SyntaxProtocol) -> SourceRange {
        SourceRange(start: node.positionAfterSkippingLeadingTrivia.utf8Offset,
                    end: node.endPositionBeforeTrailingTrivia.utf8Offset, cell: cell)
    }

    func unsupported(_ what: String, _ node: some SyntaxProtocol, use: String? = nil, plural: Bool? = nil) -> CellError {
        let isPlural = plural ?? what.hasSuffix("s")
        var message = "\(what) \(isPlural ? "are" : "is") not supported in Shoal cells"
        if let use { message += "; \(use)" }
        return CellError(.unsupported, message, at: range(node))
    }

    // MARK: Names

    func resolve(_ name: String) -> Resolution? {
        var depth = 0
        var s: FunctionScope? = scope
        while let sc = s {
            for block in sc.blocks.reversed() {
                if let info = block[name] {
                    if depth > 0 { sc.capturedSlots.insert(info.index) }
                    return .local(depth: depth, info)
                }
            }
            depth += 1
            s = sc.parent
        }
        if builtinsFirst {
            if coreTypeNames.contains(name) || registry.types[name] != nil { return .type(name) }
            if let fn = builtinFunction(name) { return .builtin(fn) }
        }
        if let q = nestedTypeName(name) { return .type(q) }
        if globals.userTypes.types[name] != nil { return .type(name) }
        if let (slot, constant, type) = cellGlobals[name] { return .global(slot, constant: constant, type: type) }
        if let slot = globals.slots[name], slot.isDefined {
            return .global(slot, constant: slot.isConstant, type: globals.types[name] ?? nil)
        }
        if coreTypeNames.contains(name) || registry.types[name] != nil { return .type(name) }
        if let fn = builtinFunction(name) { return .builtin(fn) }
        return nil
    }

    func builtinFunction(_ name: String) -> BuiltinFunctionValue? {
        if let v = builtinValues[name] { return v }
        guard let overloads = registry.functions[name] else { return nil }
        let v = BuiltinFunctionValue(name: name, overloads: overloads)
        builtinValues[name] = v
        return v
    }

    /// Every name visible here, for suggestions.
    func visibleNames() -> [String] {
        var names: [String] = []
        var s: FunctionScope? = scope
        while let sc = s {
            for block in sc.blocks { names += block.keys }
            s = sc.parent
        }
        names += cellGlobals.keys
        names += globals.slots.values.filter(\.isDefined).map(\.name)
        names += registry.functions.keys
        return names
    }

    func unknownName(_ name: String, _ node: some SyntaxProtocol) -> CellError {
        if let e = unsupportedName(name, node) { return e }
        var message = "cannot find '\(name)' in scope"
        if let close = Suggestions.closest(to: name, in: visibleNames()) { message += "; did you mean '\(close)'?" }
        return CellError(.nameError, message, at: range(node))
    }

    /// Declares a name bound by `let`/`var`/`func`/`for` in the current scope.
    func declare(_ name: String, constant: Bool, type: TypeRef?) -> BindTarget {
        if name == "_" { return .discard }
        if scope.declaresGlobals {
            if registry.isBuiltinName(name), !shadowedBuiltins.contains(name) { shadowedBuiltins.append(name) }
            let slot = globals.slot(name)
            cellGlobals[name] = (slot, constant, type)
            globals.types[name] = type
            return .global(slot, constant: constant)
        }
        return .local(scope.declare(name, constant: constant, type: type))
    }

    func withBlock<T>(_ body: () throws -> T) rethrows -> T {
        scope.blocks.append([:])
        defer { scope.blocks.removeLast() }
        return try body()
    }

    // MARK: Types

    func lowerType(_ type: TypeSyntax) throws -> TypeRef {
        if let user = try lowerUserType(type) { return user }
        if let t = type.as(IdentifierTypeSyntax.self) {
            let name = t.name.text
            if let args = t.genericArgumentClause?.arguments {
                let inner = try args.map { arg -> TypeRef in
                    guard let ty = arg.argument.as(TypeSyntax.self) else {
                        throw unsupported("this generic argument", arg)
                    }
                    return try lowerType(ty)
                }
                switch (name, inner.count) {
                case ("Array", 1): return .array(inner[0])
                case ("Dictionary", 2): return .dictionary(inner[0], inner[1])
                case ("Set", 1): return .set(inner[0])
                case ("Optional", 1): return .optional(inner[0])
                default: throw unsupported("generic type '\(name)'", t)
                }
            }
            switch name {
            case "Any", "AnyObject": return .any
            case "Void": return .named("Void")
            default:
                if coreTypeNames.contains(name) || registry.types[name] != nil { return .named(name) }
                var message = "cannot find type '\(name)' in scope"
                let known = Array(coreTypeNames) + Array(registry.types.keys)
                if let close = Suggestions.closest(to: name, in: known) { message += "; did you mean '\(close)'?" }
                throw CellError(.nameError, message, at: range(t))
            }
        }
        if let t = type.as(ArrayTypeSyntax.self) { return .array(try lowerType(t.element)) }
        if let t = type.as(DictionaryTypeSyntax.self) { return .dictionary(try lowerType(t.key), try lowerType(t.value)) }
        if let t = type.as(OptionalTypeSyntax.self) { return .optional(try lowerType(t.wrappedType)) }
        if let t = type.as(ImplicitlyUnwrappedOptionalTypeSyntax.self) { return .optional(try lowerType(t.wrappedType)) }
        if let t = type.as(TupleTypeSyntax.self) {
            let elements = try t.elements.map { try lowerType($0.type) }
            if elements.count == 1 { return elements[0] }
            return .tuple(elements, labels: t.elements.map { $0.firstName?.text })
        }
        if type.is(FunctionTypeSyntax.self) { return .function }
        if let t = type.as(AttributedTypeSyntax.self) {
            if t.specifiers.contains(where: { text(of: $0) == "inout" }) {
                throw unsupported("inout closure parameters", t, use: "leave out the closure's types, as in { $0 += $1 }")
            }
            return try lowerType(t.baseType)
        }
        if type.is(SomeOrAnyTypeSyntax.self) { throw unsupported("opaque and existential types", type, use: "write the concrete type") }
        throw unsupported("the type '\(text(of: type))'", type)
    }

    // MARK: Cells

    /// Lowers a whole cell; the last top-level expression, if any, is returned separately.
    func lowerCell(_ file: SourceFileSyntax) throws -> (body: [Stmt], result: Expr?, frameSize: Int) {
        let items = Array(file.statements)
        var functions: [Stmt] = []
        var body: [Stmt] = []
        var result: Expr?
        var typeCount = 0
        let targets = declareFunctions(items)
        try declareTypes(items)
        for (i, item) in items.enumerated() {
            if i == items.count - 1, case .expr(let e) = item.item, !isStatementLike(e) {
                result = try lowerExpr(e)
                continue
            }
            if let fd = item.item.as(FunctionDeclSyntax.self), let target = targets[fd.id] {
                functions.append(FunctionDeclStmt(decl: try lowerFunction(fd), target: target))
            } else if let s = try lowerItem(item) {
                if s is TypeDeclStmt {
                    functions.insert(s, at: typeCount)
                    typeCount += 1
                } else {
                    body.append(s)
                }
            }
        }
        return (foldDefers(functions + body), result, scope.slotCount)
    }

    private func isStatementLike(_ e: ExprSyntax) -> Bool {
        if let infix = e.as(InfixOperatorExprSyntax.self) {
            if infix.operator.is(AssignmentExprSyntax.self) { return true }
            if let op = infix.operator.as(BinaryOperatorExprSyntax.self), op.operator.text.hasSuffix("="),
               !["==", "!=", "<=", ">=", "==="].contains(op.operator.text) {
                return true
            }
        }
        return e.is(IfExprSyntax.self) || e.is(SwitchExprSyntax.self)
    }

    /// Declares every `func` of a block before its statements are lowered,
    /// so that functions may call each other regardless of order. Bodies are
    /// lowered in place (they see the names declared before them) and bound
    /// before the block's first statement runs.
    func declareFunctions(_ items: [CodeBlockItemSyntax]) -> [SyntaxIdentifier: BindTarget] {
        var targets: [SyntaxIdentifier: BindTarget] = [:]
        for item in items {
            guard let fd = item.item.as(FunctionDeclSyntax.self) else { continue }
            targets[fd.id] = declare(fd.name.text, constant: true, type: .function)
            markThrowing(fd)
        }
        return targets
    }

    func lowerBlock(_ items: CodeBlockItemListSyntax) throws -> [Stmt] {
        try withBlock {
            var functions: [Stmt] = []
            var body: [Stmt] = []
            let list = Array(items)
            let targets = declareFunctions(list)
            for item in list {
                if let fd = item.item.as(FunctionDeclSyntax.self), let target = targets[fd.id] {
                    functions.append(FunctionDeclStmt(decl: try lowerFunction(fd), target: target))
                } else if let s = try lowerItem(item) {
                    body.append(s)
                }
            }
            return foldDefers(functions + body)
        }
    }

    func lowerItem(_ item: CodeBlockItemSyntax) throws -> Stmt? {
        switch item.item {
        case .decl(let d): return try lowerDecl(d)
        case .stmt(let s): return try lowerStmt(s)
        case .expr(let e): return try lowerExprStatement(e)
        }
    }

    func lowerExprStatement(_ e: ExprSyntax) throws -> Stmt {
        if let ifx = e.as(IfExprSyntax.self) { return try lowerIf(ifx) }
        if let sw = e.as(SwitchExprSyntax.self) { return try lowerSwitch(sw, label: nil) }
        let x = try lowerExpr(e)
        if let delegation = x as? SelfInitExpr { return SelfInitStmt(delegation) }
        return ExprStmt(x)
    }
}

/// The notebook's globals, shared by every cell of a session.
public final class GlobalTable {
    public internal(set) var slots: [String: GlobalSlot] = [:]
    var types: [String: TypeRef?] = [:]
    /// The structs, enums, classes and protocols cells declared.
    let userTypes = UserTypeTable()

    public init() {}

    func slot(_ name: String) -> GlobalSlot {
        if let s = slots[name] { return s }
        let s = GlobalSlot(name: name)
        slots[name] = s
        return s
    }

    /// The defined globals, in name order.
    public var defined: [GlobalSlot] { slots.values.filter(\.isDefined).sorted { $0.name < $1.name } }
}
