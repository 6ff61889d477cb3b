import SwiftSyntax

/// Finds whether a closure or nested function inside a loop's body uses a
/// name the loop declares (in its header or its body).
private final class LoopCaptureScan: SyntaxVisitor {
    var declared: Set<String>
    var used: Set<String> = []
    private var depth = 0

    init(declared: Set<String>) {
        self.declared = declared
        super.init(viewMode: .sourceAccurate)
    }

    override func visit(_ node: IdentifierPatternSyntax) -> SyntaxVisitorContinueKind {
        if depth == 0 { declared.insert(node.identifier.text) }
        return .visitChildren
    }
    override func visit(_ node: ClosureExprSyntax) -> SyntaxVisitorContinueKind {
        depth += 1
        return .visitChildren
    }
    override func visitPost(_ node: ClosureExprSyntax) { depth -= 1 }
    override func visit(_ node: FunctionDeclSyntax) -> SyntaxVisitorContinueKind {
        depth += 1
        return .visitChildren
    }
    override func visitPost(_ node: FunctionDeclSyntax) { depth -= 1 }
    override func visit(_ node: DeclReferenceExprSyntax) -> SyntaxVisitorContinueKind {
        if depth > 0 { used.insert(node.baseName.text) }
        return .visitChildren
    }

    var captures: Bool { !declared.isDisjoint(with: used) }
}

extension Lowerer {
    /// The closure's `$n` parameter: its slot, and how many iteration
    /// frames (see `lowerLoopBody`) lie between here and the closure's frame.
    func shorthandSlot(_ n: Int) -> (depth: Int, slot: Int)? {
        var s = scope
        var depth = 0
        while s.isIteration, let p = s.parent {
            s = p
            depth += 1
        }
        return n < s.shorthandSlots.count ? (depth, s.shorthandSlots[n]) : nil
    }

    /// The names a loop header's pattern or conditions bind.
    func boundNames(_ node: some SyntaxProtocol) -> [String] {
        node.tokens(viewMode: .sourceAccurate).compactMap { token -> String? in
            guard case .identifier(let name) = token.tokenKind, token.parent?.is(IdentifierPatternSyntax.self) == true else { return nil }
            return name
        }
    }

    /// Lowers a loop's body. When a closure in it uses a name the loop
    /// declares, the body gets a frame per iteration (see `IterationFrameStmt`),
    /// with the header's names (`header`, already declared) copied into it;
    /// otherwise it runs in the loop's own frame, as fast as before.
    func lowerLoopBody(_ body: CodeBlockSyntax, header: [String]) throws -> [Stmt] {
        let scan = LoopCaptureScan(declared: Set(header))
        scan.walk(body)
        guard scan.captures else { return try lowerBlock(body.statements) }
        let outer = scope
        let inner = FunctionScope(parent: outer, isTopLevel: outer.isTopLevel, returnType: outer.returnType, name: outer.name)
        inner.isIteration = true
        inner.failableInit = outer.failableInit
        inner.breakTargets = outer.breakTargets
        var copies: [(from: Int, to: Int)] = []
        for name in header {
            guard case .local(depth: 0, let info)? = resolve(name) else { continue }
            copies.append((info.index, inner.declare(name, constant: info.isConstant, type: info.type)))
        }
        scope = inner
        defer {
            scope = outer
            if inner.hasInnerFunctions {
                outer.hasInnerFunctions = true
                outer.hasFunctionsInBlocks = true
            }
        }
        let stmts = try lowerBlock(body.statements)
        return [IterationFrameStmt(size: inner.slotCount, copies: copies, body: stmts)]
    }
}
