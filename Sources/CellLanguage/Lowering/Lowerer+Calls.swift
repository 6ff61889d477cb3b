import SwiftSyntax

extension Lowerer {
    // MARK: Members and calls

    func lowerMemberAccess(_ m: MemberAccessExprSyntax) throws -> Expr {
        let name = m.declName.baseName.text
        if m.declName.argumentNames != nil { throw unsupported("method references with argument labels", m) }
        guard let base = m.base else {
            if !globals.userTypes.enumsHaving(name).isEmpty {
                return ImplicitCaseExpr(name: name, table: globals.userTypes, range: range(m))
            }
            return SymbolExpr(name: name, range: range(m))
        }
        if let s = try lowerSuperMember(m, call: nil) { return s }
        // `words.map(String.init)`: a builtin type's initializer as a function.
        if name == "init", let d = base.as(DeclReferenceExprSyntax.self), case .type(let t)? = resolve(d.baseName.text),
           let fn = builtinFunction(t) {
            return LiteralExpr(.function(fn), range: range(m))
        }
        if let t = nestedTypePath(ExprSyntax(m)) { return LiteralExpr(.type(t), range: range(m)) }
        let lowered = MemberExpr(base: try lowerExpr(base), name: name, range: range(m.declName))
        return try wrapChain(ExprSyntax(m), lowered)
    }

    func lowerCall(_ call: FunctionCallExprSyntax) throws -> Expr {
        let r = range(call)
        var argSyntax = call.arguments.map { ($0.label?.text, $0.expression) }
        if let tc = call.trailingClosure { argSyntax.append(("$trailing", ExprSyntax(tc))) }
        for extra in call.additionalTrailingClosures {
            argSyntax.append((extra.label.text, ExprSyntax(extra.closure)))
        }
        let args = try argSyntax.map { try lowerExpr($0.1) }
        let labels = argSyntax.map(\.0)
        let callee = call.calledExpression

        if let d = callee.as(DeclReferenceExprSyntax.self), d.argumentNames == nil, !d.baseName.text.hasPrefix("$") {
            let name = d.baseName.text
            if let implicit = try implicitMemberCall(name, args: args, labels: labels, node: d, range: r) {
                try checkTry(selfMethod: name, labels: labels, call)
                (implicit as? MethodCallExpr)?.missingTry = tryDepth > 0 ? nil : name
                return implicit
            }
            if globals.userTypes.types[name] != nil, resolve(name).map({ if case .type = $0 { return true } else { return false } }) ?? false {
                try checkTry(constructing: name, labels: labels, call)
                return ConstructExpr(typeName: name, table: globals.userTypes, args: args, labels: labels, range: r)
            }
            switch resolve(name) {
            case .builtin(let fn)?:
                return BuiltinCallExpr(function: fn, args: args, labels: labels, range: r)
            case .type(let t)? where globals.userTypes.types[t] != nil:
                try checkTry(constructing: t, labels: labels, call)
                return ConstructExpr(typeName: t, table: globals.userTypes, args: args, labels: labels, range: r)
            case .type(let t)?:
                if let fn = builtinFunction(t) { return BuiltinCallExpr(function: fn, args: args, labels: labels, range: r) }
                throw CellError(.typeError, "'\(t)' cannot be constructed here", at: range(d))
            case nil:
                throw unknownName(name, d)
            default:
                try checkTry(name, call)
                let plain = CallExpr(callee: try lowerName(name, node: d), args: args, labels: labels, range: r,
                                     calleeName: name)
                return try inoutCall(call, plain) ?? plain
            }
        }
        if let m = callee.as(MemberAccessExprSyntax.self) {
            let name = m.declName.baseName.text
            guard let base = m.base else {
                if !globals.userTypes.enumsHaving(name).isEmpty {
                    return CallExpr(callee: ImplicitCaseExpr(name: name, table: globals.userTypes, range: range(m)),
                                    args: args, labels: labels, range: r)
                }
                throw unsupported("calling an implicit member", m, use: "write the full name, e.g. Optimizer.adam(…)")
            }
            if let s = try lowerSuperMember(m, call: (args, labels, r)) { return s }
            if let t = nestedTypePath(ExprSyntax(m)) {
                try checkTry(constructing: t, labels: labels, call)
                return ConstructExpr(typeName: t, table: globals.userTypes, args: args, labels: labels, range: r)
            }
            if name == "init", base.as(DeclReferenceExprSyntax.self)?.baseName.text == "self" {
                return try lowerSelfInit(args, labels, m, range: r)
            }
            try checkTry(method: name, of: base, labels: labels, call)
            let receiver = try lowerExpr(base)
            let place = receiver is LiteralExpr ? nil : try placeFor(base)
            let method = MethodCallExpr(receiver: receiver, place: place, name: name,
                                        args: try elementArguments(name, args, labels, receiver: receiver, base: base),
                                        labels: labels, nameRange: range(m.declName), range: r)
            method.missingTry = tryDepth > 0 ? nil : "\(text(of: base)).\(name)"
            return method
        }
        // `[Int]()` and `[String: Int]()`: empty collections.
        if let a = callee.as(ArrayExprSyntax.self), a.elements.count == 1, args.isEmpty {
            return ArrayLiteralExpr(elements: [], range: r)
        }
        // `[Double](repeating: 0, count: 3)` and `Array<Int>(1...3)`: Array's
        // initializers, with the element type for a `repeating:` literal.
        if !args.isEmpty, Self.namesArrayType(callee), let fn = builtinFunction("Array") {
            let call = BuiltinCallExpr(function: fn, args: args, labels: labels, range: r)
            return try arrayElementType(callee).map { repeatingRetyped(call, element: $0) } ?? call
        }
        if callee.is(DictionaryExprSyntax.self), args.isEmpty {
            return DictionaryLiteralExpr(pairs: [], range: r)
        }
        if let g = callee.as(GenericSpecializationExprSyntax.self),
           let d = g.expression.as(DeclReferenceExprSyntax.self), globals.userTypes.types[d.baseName.text] != nil {
            return ConstructExpr(typeName: d.baseName.text, table: globals.userTypes, args: args, labels: labels, range: r)
        }
        if let g = callee.as(GenericSpecializationExprSyntax.self),
           let d = g.expression.as(DeclReferenceExprSyntax.self), args.isEmpty {
            if d.baseName.text == "Array" { return ArrayLiteralExpr(elements: [], range: r) }
            if d.baseName.text == "Dictionary" { return DictionaryLiteralExpr(pairs: [], range: r) }
            if d.baseName.text == "Set" { return LiteralExpr(.set(OrderedSet()), range: r) }
        }
        // `Set<Int>(numbers)`: the element type is checked by annotations, not here.
        if let g = callee.as(GenericSpecializationExprSyntax.self),
           let d = g.expression.as(DeclReferenceExprSyntax.self), d.baseName.text == "Set", let fn = builtinFunction("Set") {
            return BuiltinCallExpr(function: fn, args: args, labels: labels, range: r)
        }
        let plain = CallExpr(callee: try lowerExpr(callee), args: args, labels: labels, range: r)
        return try inoutCall(call, plain) ?? plain
    }

    // MARK: Closures

    func lowerClosure(_ c: ClosureExprSyntax) throws -> Expr {
        let r = range(c)
        var params: [Parameter] = []
        var types: [TypeRef?] = []
        var returnType: TypeRef?
        if let sig = c.signature {
            if let cap = sig.capture { throw unsupported("capture lists", cap) }
            if let e = sig.effectSpecifiers, let a = e.asyncSpecifier { throw unsupported("async closures", a) }
            returnType = try sig.returnClause.map { try lowerType($0.type) }
            switch sig.parameterClause {
            case .simpleInput(let list)?:
                for p in list {
                    params.append(Parameter(label: nil, name: p.name.text, type: "Any", defaultText: nil, isVariadic: false))
                    types.append(nil)
                }
            case .parameterClause(let clause)?:
                for p in clause.parameters {
                    let name = p.secondName?.text ?? p.firstName.text
                    params.append(Parameter(label: nil, name: name, type: p.type.map { text(of: $0) } ?? "Any",
                                            defaultText: nil, isVariadic: false))
                    types.append(try p.type.map { try lowerType($0) })
                }
            case nil: break
            }
        }
        let outer = scope
        outer.hasInnerFunctions = true
        if outer.blocks.count > 1 { outer.hasFunctionsInBlocks = true }
        scope = FunctionScope(parent: outer, isTopLevel: false, returnType: returnType, name: "closure")
        let outerTry = tryDepth
        tryDepth = 0
        defer {
            scope = outer
            tryDepth = outerTry
        }
        var slots: [Int] = []
        if c.signature?.parameterClause == nil {
            let n = ShorthandCounter.count(in: c.statements)
            for i in 0..<n {
                slots.append(scope.newSlot())
                params.append(Parameter(label: nil, name: "$\(i)", type: "Any", defaultText: nil, isVariadic: false))
                types.append(nil)
            }
            scope.shorthandSlots = slots
        } else {
            // Closure parameters may be changed: `reduce(into:)` passes its
            // result as an inout first parameter.
            slots = params.map { scope.declare($0.name, constant: false, type: nil) }
            // `{ (t: Tank) in … }`: what `t` holds is known before the cell runs.
            for (slot, type) in zip(slots, types) { if case .user(let u)? = type { scope.receiverTypes[slot] = u } }
        }
        let decl = FunctionDecl(name: "closure", parameters: params, parameterTypes: types,
                                defaults: Array(repeating: nil, count: params.count), parameterSlots: slots,
                                returnType: returnType, isClosure: true, range: r)
        let items = Array(c.statements)
        if items.count == 1, case .expr(let e) = items[0].item, !e.is(IfExprSyntax.self), !e.is(SwitchExprSyntax.self) {
            decl.implicitResult = try lowerExpr(e)
        } else {
            decl.body = try lowerBlock(c.statements)
        }
        decl.frameSize = scope.slotCount
        decl.capturesItsFrame = scope.hasInnerFunctions
        return ClosureExpr(decl: decl, range: r)
    }

    /// `let x = if c { 1 } else { 2 }`: each branch must be a single expression.
    func lowerIfExpression(_ ifx: IfExprSyntax) throws -> Expr {
        func single(_ block: CodeBlockSyntax) throws -> Expr {
            guard block.statements.count == 1, case .expr(let e)? = block.statements.first?.item else {
                throw unsupported("'if' expressions with several statements per branch", block,
                                  use: "use an 'if' statement that assigns a variable")
            }
            return try lowerExpr(e)
        }
        guard ifx.conditions.count == 1, case .expression(let cond)? = ifx.conditions.first?.condition else {
            throw unsupported("'if let' as an expression", ifx)
        }
        let otherwise: Expr
        switch ifx.elseBody {
        case .ifExpr(let nested)?: otherwise = try lowerIfExpression(nested)
        case .codeBlock(let b)?: otherwise = try single(b)
        case nil: throw CellError(.syntaxError, "'if' must have an unconditional 'else' to be used as an expression",
                                  at: range(ifx))
        }
        return TernaryExpr(condition: try lowerExpr(cond), then: try single(ifx.body), otherwise: otherwise,
                           range: range(ifx))
    }
}

extension Lowerer {
    static func isOperatorName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first else { return false }
        return "+-*/%<>=!&|^~".unicodeScalars.contains(first)
    }
}

extension Lowerer {
    /// `[T]` or `Array<T>` as a callee.
    static func namesArrayType(_ callee: ExprSyntax) -> Bool {
        if let a = callee.as(ArrayExprSyntax.self) { return a.elements.count == 1 }
        if let g = callee.as(GenericSpecializationExprSyntax.self), let d = g.expression.as(DeclReferenceExprSyntax.self) {
            return d.baseName.text == "Array"
        }
        return false
    }

    /// The element type of `[T]` or `Array<T>` written as a callee (Int,
    /// Double, String, Bool, or arrays of them).
    func arrayElementType(_ callee: ExprSyntax) throws -> TypeRef? {
        if callee.is(ArrayExprSyntax.self), case .array(let element)? = Self.typeNamed(callee) { return element }
        if let g = callee.as(GenericSpecializationExprSyntax.self),
           let d = g.expression.as(DeclReferenceExprSyntax.self), d.baseName.text == "Array",
           g.genericArgumentClause.arguments.count == 1, let arg = g.genericArgumentClause.arguments.first,
           let type = arg.argument.as(TypeSyntax.self) {
            return try lowerType(type)
        }
        return nil
    }

    /// `Array(repeating: 0, count: n)` where the elements are Doubles (or
    /// arrays of Doubles): the literal is a Double, as Swift types it.
    func repeatingRetyped(_ e: Expr, element: TypeRef) -> Expr {
        guard let call = e as? BuiltinCallExpr, call.function.name == "Array",
              let i = call.labels.firstIndex(of: "repeating") else { return e }
        var args = call.args
        if Self.isDouble(element), let literal = args[i] as? LiteralExpr, case .int(let k) = literal.value {
            args[i] = LiteralExpr(.double(Double(k)), range: literal.range)
        } else if case .array(let inner) = element {
            let retyped = repeatingRetyped(args[i], element: inner)
            if retyped === args[i] { return e }
            args[i] = retyped
        } else {
            return e
        }
        return BuiltinCallExpr(function: call.function, args: args, labels: call.labels, range: call.range)
    }
}
