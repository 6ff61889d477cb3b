/// Swift's rule that a variable declared without a value (`var n: Int`) is
/// assigned before it is read, checked in source order: a read that comes
/// before every assignment of the variable in the cell's text is "used
/// before being initialized" (Swift refuses it too, whatever the branches
/// and loops around it). A read after an assignment in the text is let
/// through, though Swift may refuse it on some path (an assignment in one
/// branch only); such a variable then holds `()` until assigned.
struct UnassignedVariable: Hashable {
    /// The scope that declared it, or its notebook slot.
    let owner: ObjectIdentifier
    /// Its slot in that scope (-1 for a notebook variable).
    let slot: Int
}

extension Lowerer {
    /// Notes a declaration without a value of a type that is not optional
    /// (an optional starts as nil, as in Swift).
    func noteDeclaredWithoutValue(_ target: BindTarget, type: TypeRef?, constant: Bool) {
        if constant, case .local(let slot) = target {
            deferredConstants.insert(UnassignedVariable(owner: ObjectIdentifier(scope), slot: slot))
        }
        guard let type, !type.isOptional else { return }
        switch target {
        case .local(let slot): unassigned.insert(UnassignedVariable(owner: ObjectIdentifier(scope), slot: slot))
        case .global(let slot, _): unassigned.insert(UnassignedVariable(owner: ObjectIdentifier(slot), slot: -1))
        case .tuple(let targets):
            guard case .tuple(let types, _) = type, types.count == targets.count else { return }
            for (t, ty) in zip(targets, types) { noteDeclaredWithoutValue(t, type: ty, constant: constant) }
        case .discard: break
        }
    }

    /// A plain assignment (`n = 5`) of the place's variable, lowered after its value.
    func noteAssigned(_ place: Place) {
        guard place.steps.isEmpty else { return }
        switch place.root {
        case .local(let slot): unassigned.remove(UnassignedVariable(owner: ObjectIdentifier(scope), slot: slot))
        case .outer(let depth, let slot):
            if let s = scope(outBy: depth) { unassigned.remove(UnassignedVariable(owner: ObjectIdentifier(s), slot: slot)) }
        case .global(let slot):
            unassigned.remove(UnassignedVariable(owner: ObjectIdentifier(slot), slot: -1))
            assignedNotebookVariables.insert(ObjectIdentifier(slot))
        }
    }

    /// The error for reading `name` (found as `resolution`) here, when it
    /// was declared without a value and nothing assigned it before this
    /// point of the text; nil otherwise. A notebook variable an earlier cell
    /// declared without a value counts as unassigned while it still holds
    /// nothing and this cell has not assigned it.
    func readBeforeAssignment(_ name: String, _ resolution: Resolution, at r: SourceRange) -> CellError? {
        let constant: Bool
        switch resolution {
        case .local(let depth, let info):
            guard !unassigned.isEmpty, let s = scope(outBy: depth),
                  unassigned.contains(UnassignedVariable(owner: ObjectIdentifier(s), slot: info.index)) else { return nil }
            constant = info.isConstant
        case .global(let slot, let isConstant, _):
            if !unassigned.isEmpty, unassigned.contains(UnassignedVariable(owner: ObjectIdentifier(slot), slot: -1)) {
                constant = isConstant
            } else if slot.declaredWithoutValue, case .void = slot.value, cellGlobals[name] == nil,
                      !assignedNotebookVariables.contains(ObjectIdentifier(slot)) {
                constant = isConstant
            } else {
                return nil
            }
        case .builtin, .type:
            return nil
        }
        return CellError(.nameError, "\(constant ? "constant" : "variable") '\(name)' is used before being initialized",
                         at: r, notes: ["give it a value where it is declared, or assign one before this line"])
    }

    /// Whether a plain assignment may set the 'let' at `place`: one declared
    /// without a value in a function (`let w: String`, then `w = "big"` in
    /// each branch), as Swift allows. Assigning it twice is not refused here.
    func assignsDeferredConstant(_ place: Place) -> Bool {
        guard place.steps.isEmpty, !deferredConstants.isEmpty else { return false }
        switch place.root {
        case .local(let slot): return deferredConstants.contains(UnassignedVariable(owner: ObjectIdentifier(scope), slot: slot))
        case .outer(let depth, let slot):
            guard let s = scope(outBy: depth) else { return false }
            return deferredConstants.contains(UnassignedVariable(owner: ObjectIdentifier(s), slot: slot))
        case .global: return false
        }
    }

    /// The function scope `depth` scopes out from the current one.
    func scope(outBy depth: Int) -> FunctionScope? {
        var s: FunctionScope? = scope
        for _ in 0..<depth { s = s?.parent }
        return s
    }
}
