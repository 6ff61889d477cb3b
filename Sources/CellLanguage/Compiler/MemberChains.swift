/// `velocity.x` inside a method (`self.velocity.x`), `p.position.x` on a
/// local: a chain of members read from a variable in one instruction. The
/// machine follows the stored properties in place, by the index each step's
/// type last had there (no name looked up, no instance on the way retained),
/// and copies out only the value at the end. A step it does not know (a
/// tuple, a computed property, a class instance, a type that changed) hands
/// a copy of what it reached to the members' own `value(of:)`, as the
/// instructions one member at a time would.
final class MemberChain: Expr {
    /// The members, innermost first: `p.position.x` is `[.position, .x]`.
    let members: [MemberExpr]
    /// Per step: the struct type whose stored property it last reached, and that property's index.
    private var types: [UserType?]
    private var indices: [Int]

    /// `Value.instancesCanBeBorrowed`, read once.
    private let borrows = Value.instancesCanBeBorrowed

    init(_ members: [MemberExpr]) {
        self.members = members
        types = Array(repeating: nil, count: members.count)
        indices = Array(repeating: 0, count: members.count)
    }

    var range: SourceRange { members[members.count - 1].range }

    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        var v = try members[0].base.eval(rt, f)
        for m in members { v = try m.value(of: v, rt) }
        return v
    }

    /// The chain's value, from the variable at `root`.
    @inline(__always)
    func value(from root: UnsafePointer<Value>, _ rt: Runtime) throws -> Value {
        guard borrows else { return try slowly(from: root, 0, rt) }
        var p = root
        for j in 0..<members.count {
            // The instance is borrowed, not retained: the chain above it keeps it alive.
            guard let borrowed = Value.borrowedInstance(at: p) else { return try slowly(from: p, j, rt) }
            let next: UnsafePointer<Value>? = borrowed._withUnsafeGuaranteedRef { inst in
                var k = indices[j]
                if inst.type !== types[j] {
                    guard let s = inst.type.storedIndex[members[j].name] else { return nil }
                    types[j] = inst.type
                    indices[j] = s
                    k = s
                }
                guard k < inst.fields.count else { return nil }
                return inst.fields.withUnsafeBufferPointer { $0.baseAddress! + k }
            }
            guard let next else { return try slowly(from: p, j, rt) }
            p = next
        }
        return p.pointee
    }

    /// The rest of the chain from step `j`, on a copy of the value reached.
    private func slowly(from p: UnsafePointer<Value>, _ j: Int, _ rt: Runtime) throws -> Value {
        var v = p.pointee
        for m in members[j...] { v = try m.value(of: v, rt) }
        return v
    }

    /// The chain under `m` (`m` and the members it stands on) and the
    /// variable it starts from, when it starts from a local or an outer
    /// variable and is worth one instruction: two members or more, or any
    /// from an outer variable (a method's `self`).
    static func of(_ m: MemberExpr) -> (chain: MemberChain, root: Expr)? {
        var members = [m]
        var base = m.base
        while let inner = base as? MemberExpr, inner.name != "count" {
            members.append(inner)
            base = inner.base
        }
        guard base is OuterGet || (base is LocalGet && members.count >= 2) else { return nil }
        return (MemberChain(members.reversed()), base)
    }
}

extension Machine {
    /// The chain whose address is `i.k` (the code's `exprs` keep it), read
    /// from `root` without retaining it.
    @inline(__always)
    static func memberChain(_ i: Instruction, from root: UnsafePointer<Value>, _ rt: Runtime) throws -> Value {
        guard let address = UnsafeRawPointer(bitPattern: i.k) else { return .void }
        return try Unmanaged<MemberChain>.fromOpaque(address)._withUnsafeGuaranteedRef { try $0.value(from: root, rt) }
    }
}

extension Value {
    /// The instance an `.instance` at `p` holds, not retained: valid while
    /// the value at `p` is neither changed nor released.
    @inline(__always)
    static func borrowedInstance(at p: UnsafePointer<Value>) -> Unmanaged<Instance>? {
        guard case .instance = p.pointee else { return nil }
        return Unmanaged.fromOpaque(UnsafeRawPointer(p).load(as: UnsafeRawPointer.self))
    }

    /// Whether an `.instance` keeps its reference, untagged, in its first
    /// word (so that `borrowedInstance(at:)` may read it there): checked once,
    /// on a real value, rather than assumed from the enum's layout.
    static let instancesCanBeBorrowed: Bool = {
        let inst = Instance(type: UserType(name: "Probe", kind: .structure), tag: 0, fields: [])
        let v = Value.instance(inst)
        return withUnsafePointer(to: v) { UnsafeRawPointer($0).load(as: UnsafeRawPointer.self) }
            == UnsafeRawPointer(Unmanaged.passUnretained(inst).toOpaque())
    }()
}

extension Value {
    /// Whether an `.array` keeps its storage's reference, untagged, in its
    /// first word, with the count at byte 16 of the storage and the elements
    /// from byte 32 (Swift's array storage header), so that an element can
    /// be reached without retaining the array: checked once, on a real array.
    static let arraysCanBeBorrowed: Bool = {
        let items: [Value] = [.int(1), .int(2), .int(3)]
        let v = Value.array(items)
        return withUnsafePointer(to: v) { p in
            let buffer = UnsafeRawPointer(p).load(as: UnsafeRawPointer.self)
            return items.withUnsafeBufferPointer { elements in
                buffer.load(fromByteOffset: 16, as: Int.self) == 3
                    && UnsafeRawPointer(elements.baseAddress!) == buffer + 32
            }
        }
    }()
}
