/// User-type values as text (their `description` or Swift's default form),
/// and what completion and inspection show of them.
extension UserTypes {
    // MARK: Text

    /// The user's own `description`, or nil when it fails.
    static func describe(_ v: Value, _ type: UserType) -> String? {
        guard let rt = type.runtime, let c = type.findComputed("description") else { return nil }
        var receiver = v
        guard let d = try? invoke(c.getter, of: type, self: &receiver, args: [], labels: [], callRange: .unknown, rt),
              case .string(let s) = d else { return nil }
        return s
    }

    static func writeText<S: TextSink>(_ i: Instance, debug: Bool, to sink: inout S) {
        if i.type.describesItself, let text = describe(.instance(i), i.type) { return sink.append(text) }
        switch i.type.kind {
        case .enumeration:
            if debug { sink.append(i.type.name + ".") }
            sink.append(i.caseName)
            guard !i.fields.isEmpty else { return }
            let labels = i.tag < i.type.cases.count ? (i.type.cases[i.tag].labels ?? []) : []
            sink.append("(")
            for (k, f) in i.fields.enumerated() {
                if sink.isFull { return }
                if k > 0 { sink.append(", ") }
                if k < labels.count, let l = labels[k] { sink.append(l + ": ") }
                f.writeText(debug: true, to: &sink)
            }
            sink.append(")")
        default:
            sink.append(i.type.name + "(")
            for (k, f) in i.fields.enumerated() {
                if sink.isFull { return }
                if k > 0 { sink.append(", ") }
                if k < i.type.stored.count { sink.append(i.type.stored[k].name + ": ") }
                f.writeText(debug: true, to: &sink)
            }
            sink.append(")")
        }
    }
}

// MARK: - Completion and inspection

extension UserTypes {
    /// `value.name` when it is a stored property or an enum case (nothing of the learner's code runs).
    static func storedValue(_ value: Value, _ name: String, _ rt: Runtime) -> Value? {
        guard let (type, isStatic) = owner(of: value, rt) else { return nil }
        if isStatic {
            if let k = type.caseIndex[name], type.cases[k].labels == nil {
                return .instance(Instance(type: type, tag: k, fields: []))
            }
            if let slot = type.findStatic(name), slot.isDefined { return slot.value }
            return nil
        }
        guard let k = type.storedIndex[name] else { return nil }
        switch value {
        case .instance(let i): return k < i.fields.count ? i.fields[k] : nil
        case .object(let o as ClassObject): return k < o.fields.count ? o.fields[k] : nil
        default: return nil
        }
    }

    static func signature(_ d: FunctionDecl, name: String) -> Signature {
        Signature(name: name, parameters: d.parameters, returns: d.returnType?.description ?? "Void")
    }

    /// The signatures of method `name` of a user value, for argument-label completion.
    static func signatures(of name: String, on value: Value, _ rt: Runtime) -> [Signature]? {
        guard let (type, isStatic) = owner(of: value, rt) else { return nil }
        if let (_, ms) = type.findMethods(name, isStatic: isStatic) {
            return ms.map { signature($0.decl, name: name) }
        }
        if isStatic, let k = type.caseIndex[name] {
            let c = EnumCaseConstructor(type: type, tag: k)
            return [Signature(name: name, parameters: c.parameters, returns: type.name)]
        }
        return type.kind == .builtin ? nil : []
    }

    static func initializerSignatures(_ type: UserType) -> [Signature] {
        if type.kind == .structure && type.inits.isEmpty {
            return [Signature(name: type.name, parameters: memberwiseParameters(type), returns: type.name)]
        }
        let owner = type.lineage.first { !$0.inits.isEmpty }
        return (owner?.inits ?? []).map { Signature(name: type.name, parameters: $0.parameters, returns: type.name) }
    }

    /// What Shift-Tab shows for a user type: its declaration as written.
    static func declarationText(_ type: UserType) -> String {
        var text = type.declaration
        if text.count > 2_000 { text = String(text.prefix(2_000)) + "\n…" }
        return text
    }

    /// What Shift-Tab shows for `value.member` of a user type; nil for builtin members.
    static func describeMember(_ member: String, of value: Value, _ rt: Runtime) -> String? {
        guard let (type, isStatic) = owner(of: value, rt) else { return nil }
        if let (_, ms) = type.findMethods(member, isStatic: isStatic) {
            return ms.map { ($0.isMutating ? "mutating func " : "func ") + signature($0.decl, name: member).declaration }
                .joined(separator: "\n")
        }
        if !isStatic, let k = type.storedIndex[member] {
            let p = type.stored[k]
            var text = "\(p.isConstant ? "let" : "var") \(member): \(p.typeText ?? "Any")  (stored property of \(type.name))"
            if let v = storedValue(value, member, rt) { text += "\n= " + String(v.debugDescription.prefix(200)) }
            return text
        }
        if let c = type.findComputed(member, isStatic: isStatic) {
            return "var \(member): \(c.typeText) { \(c.setter == nil ? "get" : "get set") }  (computed property of \(type.name))"
        }
        if isStatic, let k = type.caseIndex[member] {
            return "case \(type.name).\(member)" + (type.cases[k].rawValue.map { " = \($0.debugDescription)" } ?? "")
        }
        return type.kind == .builtin ? nil : "\(type.name) has no member '\(member)'"
    }
}
