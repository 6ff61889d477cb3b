/// `Shape.circle` used as a function: makes the case from its associated values.
final class EnumCaseConstructor: Callable {
    let type: UserType
    let tag: Int

    init(type: UserType, tag: Int) {
        self.type = type
        self.tag = tag
        super.init(name: type.cases[tag].name)
    }

    var parameters: [Parameter] {
        let c = type.cases[tag]
        return (c.labels ?? []).enumerated().map { k, label in
            Parameter(label: label, name: label ?? "_\(k)", type: c.types[k]?.description ?? "Any", defaultText: nil,
                      isVariadic: false)
        }
    }

    override var typeDescription: String {
        "(" + type.cases[tag].types.map { $0?.description ?? "Any" }.joined(separator: ", ") + ") -> \(type.name)"
    }

    override func call(_ args: [Value], labels: [String?], literals: [Bool], ranges: [SourceRange],
                       callRange: SourceRange, _ rt: Runtime) throws -> Value {
        let c = type.cases[tag]
        let params = parameters
        let shown = "\(type.name).\(c.name)(" + params.map { ($0.label.map { $0 + ": " } ?? "") + $0.type }.joined(separator: ", ") + ")"
        let slots: [ArgumentMatcher.Slot]
        switch ArgumentMatcher.match(params, labels: labels) {
        case .success(let s): slots = s
        case .failure(var e):
            e.range = callRange
            e.notes = ["the case is declared as \(shown)"]
            throw e
        }
        var fields: [Value] = []
        for (k, slot) in slots.enumerated() {
            guard case .argument(let a) = slot else { continue }
            var v = args[a]
            if let t = c.types[k] {
                guard let cv = t.coerce(v, literal: a < literals.count && literals[a]) else {
                    throw CellError.type(TypeRef.argumentMismatch(v, t),
                                         at: a < ranges.count ? ranges[a] : callRange, notes: ["the case is declared as \(shown)"])
                }
                v = cv
            }
            fields.append(v)
        }
        try Memory.charge(Memory.values(fields.count), "this value", at: callRange)
        return .instance(Instance(type: type, tag: tag, fields: fields))
    }

    override func invoke(_ args: [Value], _ rt: Runtime) throws -> Value {
        try call(args, labels: parameters.map(\.label), literals: [], ranges: [], callRange: .unknown, rt)
    }
}

/// `fish.describe` used as a value: the method with its receiver.
final class BoundUserMethod: Callable {
    let receiver: Value
    let type: UserType

    init(receiver: Value, type: UserType, name: String) {
        self.receiver = receiver
        self.type = type
        super.init(name: name)
    }

    override var typeDescription: String { "(\(type.name).\(name))" }

    override func call(_ args: [Value], labels: [String?], literals: [Bool], ranges: [SourceRange],
                       callRange: SourceRange, _ rt: Runtime) throws -> Value {
        var me = receiver
        guard let r = try UserTypes.call(&me, name, args: args, labels: labels, ranges: ranges, place: nil,
                                         nameRange: callRange, callRange: callRange, rt) else {
            throw CellError.type("'\(name)' cannot be called", at: callRange)
        }
        return r
    }

    override func invoke(_ args: [Value], _ rt: Runtime) throws -> Value {
        guard let (_, ms) = type.findMethods(name) else { return .void }
        return try call(args, labels: ms[0].decl.labels, literals: [], ranges: [], callRange: .unknown, rt)
    }
}
