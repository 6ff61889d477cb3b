/// `case .name` and `case let .name(a, _)` in a compiled `switch`, matched
/// by the case's tag number, which the site finds from the name once per
/// enum type it meets, instead of by comparing names. The associated values
/// are bound straight to their registers. Any other subject (an optional,
/// another kind of value, a payload of another arity) is matched as the tree matches.
final class CaseSite {
    let name: String
    /// The registers the associated values go to (-1: not bound); nil when the pattern lists none.
    let slots: [Int]?
    /// The enum type last met and the tag of `name` in it.
    var type: UserType?
    var tag = -1

    /// Nil unless `pattern` is an enum case whose values are bound to locals or ignored.
    init?(_ pattern: Pattern) {
        guard case .enumCase(let name, let ps) = pattern else { return nil }
        self.name = name
        guard let ps else {
            slots = nil
            return
        }
        var out: [Int] = []
        for p in ps {
            switch p {
            case .bind(.local(let slot)): out.append(slot)
            case .bind(.discard), .wildcard: out.append(-1)
            default: return nil
            }
        }
        slots = out
    }
}

extension Machine {
    /// `matchCase`: true or false when the site decides, nil when the tree's matching must.
    static func caseMatch(_ i: Instruction, _ codeRef: Unmanaged<Code>, _ r: UnsafeMutablePointer<Value>) -> Bool? {
        let site = codeRef._withUnsafeGuaranteedRef { $0.caseSites[i.k >> 32] }
        guard case .instance(let e) = r[Int(i.a)] else { return nil }
        if e.type !== site.type {
            guard e.type.kind == .enumeration, let t = e.type.caseIndex[site.name] else { return nil }
            site.type = e.type
            site.tag = t
        }
        guard e.tag == site.tag else { return false }
        guard let slots = site.slots else { return true }
        guard slots.count == e.fields.count else { return nil }
        for (j, s) in slots.enumerated() where s >= 0 { r[s] = e.fields[j] }
        return true
    }
}
