import SwiftSyntax

extension Lowerer {
    /// Notes that the function `fd`, just declared in the current block,
    /// throws (or, for a global, that this cell's one does not).
    func markThrowing(_ fd: FunctionDeclSyntax) {
        let throwsError = fd.signature.effectSpecifiers?.throwsClause != nil
        let name = fd.name.text
        if scope.declaresGlobals {
            if throwsError { cellThrowingFunctions.insert(name) } else { cellThrowingFunctions.remove(name) }
        } else if throwsError {
            scope.markThrowing(name)
        }
    }

    /// Whether `name` is a user function declared `throws`.
    func isThrowingFunction(_ name: String) -> Bool {
        switch resolve(name) {
        case .local(_, let info)?:
            return info.isThrowingFunction
        case .global(let slot, _, _)?:
            if cellGlobals[name] != nil { return cellThrowingFunctions.contains(name) }
            if case .function(let fn as UserFunction) = slot.value { return fn.decl.isThrowing }
            return false
        default:
            return false
        }
    }

    func missingTry(_ name: String, _ call: FunctionCallExprSyntax) -> CellError {
        CellError.missingTry(name, at: range(call))
    }

    /// Swift refuses a call to a throwing function that no `try` covers;
    /// so does Shoal, before any of the cell runs.
    func checkTry(_ name: String, _ call: FunctionCallExprSyntax) throws {
        guard tryDepth == 0, isThrowingFunction(name) else { return }
        throw missingTry(name, call)
    }
}

extension Lowerer {
    /// `Tank(…)` whose initializer throws needs `try` too.
    func checkTry(constructing name: String, labels: [String?], _ call: FunctionCallExprSyntax) throws {
        guard tryDepth == 0, let type = globals.userTypes.types[name],
              let inits = type.lineage.first(where: { !$0.inits.isEmpty })?.inits,
              UserTypes.chooseInit(inits, labels: labels).isThrowing else { return }
        throw missingTry(name, call)
    }

    /// In an initializer, `return` gives no value, except `return nil` in an `init?`.
    func checkInitializerReturn(_ r: ReturnStmtSyntax) throws {
        guard let failable = scope.failableInit, let e = r.expression else { return }
        guard e.is(NilLiteralExprSyntax.self) else {
            throw CellError(.syntaxError, "'nil' is the only return value permitted in an initializer", at: range(e))
        }
        if !failable {
            throw CellError(.syntaxError, "only a failable initializer can return 'nil'", at: range(e),
                            notes: ["write init?(…) to make the initializer failable"])
        }
    }
}

extension CellError {
    /// A call to a throwing function, method or initializer that no `try` covers.
    static func missingTry(_ name: String, at range: SourceRange) -> CellError {
        CellError(.syntaxError, "call can throw but is not marked with 'try'; write 'try \(name)(…)' inside do { … } catch { … }, or 'try?'",
                  at: range)
    }
}

extension Lowerer {
    /// Methods whose every declaration in `members` is marked `throws`.
    static func throwingMethods(_ members: MemberBlockItemListSyntax) -> Set<String> {
        var throwing = Set<String>()
        var plain = Set<String>()
        for member in members {
            guard let f = member.decl.as(FunctionDeclSyntax.self) else { continue }
            if f.signature.effectSpecifiers?.throwsClause != nil { throwing.insert(f.name.text) } else { plain.insert(f.name.text) }
        }
        return throwing.subtracting(plain)
    }

    /// The user type the lowerer knows `name` holds (`let t = Tank(…)`, `var t: Tank`).
    func knownType(_ name: String) -> UserType? {
        switch resolve(name) {
        case .local(let depth, let info)?:
            var s: FunctionScope = scope
            for _ in 0..<depth { if let p = s.parent { s = p } }
            if let u = s.receiverTypes[info.index] { return u }
            if case .user(let u)? = info.type { return u }
        case .global(let slot, _, let t)?:
            if let u = receiverTypes[ObjectIdentifier(slot)] { return u }
            if case .user(let u)? = t { return u }
        default: break
        }
        return nil
    }

    /// The user type of the elements of `sequence`, a variable annotated
    /// `[Tank]` or `Set<Tank>` (its loop variable then holds a `Tank`).
    func knownElementType(_ sequence: ExprSyntax) -> UserType? {
        guard let d = sequence.as(DeclReferenceExprSyntax.self) else { return nil }
        let type: TypeRef?
        switch resolve(d.baseName.text) {
        case .local(_, let info)?: type = info.type
        case .global(_, _, let t)?: type = t
        default: return nil
        }
        switch type {
        case .array(.user(let u))?, .set(.user(let u))?: return u
        default: return nil
        }
    }

    /// `let t = Tank(…)`: `t` holds a `Tank`, so its throwing methods are
    /// known before the cell runs.
    func noteReceiverType(_ binding: PatternBindingSyntax) {
        guard let id = binding.pattern.as(IdentifierPatternSyntax.self) else { return }
        var type: UserType?
        var value = binding.initializer?.value
        if let t = value?.as(TryExprSyntax.self), t.questionOrExclamationMark == nil { value = t.expression }
        if let call = value?.as(FunctionCallExprSyntax.self),
           let d = call.calledExpression.as(DeclReferenceExprSyntax.self), case .type(let name)? = resolve(d.baseName.text),
           let u = globals.userTypes.types[name], !(u.lineage.first(where: { !$0.inits.isEmpty })?.inits.contains(where: \.isFailable) ?? false) {
            type = u
        }
        // `var copy = t` where `t`'s type is known.
        if type == nil, let d = value?.as(DeclReferenceExprSyntax.self), d.baseName.text != id.identifier.text {
            type = knownType(d.baseName.text)
        }
        switch resolve(id.identifier.text) {
        case .local(0, let info)?: scope.receiverTypes[info.index] = type
        case .global(let slot, _, _)?: receiverTypes[ObjectIdentifier(slot)] = type
        default: break
        }
    }

    /// Whether the method `name` of `type` throws for a call with `labels`, as far as the lowerer knows.
    private func methodThrows(_ name: String, of type: UserType, labels: [String?]) -> Bool {
        if let (_, ms) = type.findMethods(name) { return UserTypes.choose(ms, labels: labels).decl.isThrowing }
        return type.lineage.contains { throwingMethodNames[ObjectIdentifier($0)]?.contains(name) ?? false }
    }

    /// `tank.fill()` where `fill` throws and `tank`'s type is known: refused before the cell runs.
    func checkTry(method name: String, of base: ExprSyntax, labels: [String?], _ call: FunctionCallExprSyntax) throws {
        guard tryDepth == 0 else { return }
        var type: UserType?
        if let d = base.as(DeclReferenceExprSyntax.self) {
            if d.baseName.text == "self" {
                if let ctx = typeContext, !ctx.isStatic { type = ctx.type }
            } else {
                type = knownType(d.baseName.text)
            }
        }
        guard let type, methodThrows(name, of: type, labels: labels) else { return }
        throw missingTry("\(text(of: base)).\(name)", call)
    }

    /// `fill()` inside a method of a type whose `fill` throws.
    func checkTry(selfMethod name: String, labels: [String?], _ call: FunctionCallExprSyntax) throws {
        guard tryDepth == 0, let ctx = typeContext, !ctx.isStatic, methodThrows(name, of: ctx.type, labels: labels) else { return }
        throw missingTry(name, call)
    }
}
