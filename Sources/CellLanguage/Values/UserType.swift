/// A type a cell declares: a struct, an enum, a class or a protocol, or the
/// members extensions add to a builtin type (`extension Int { … }`).
///
/// Methods, computed properties and initializers are lowered functions whose
/// outer scope holds `self` (see `Lowerer+Types`): a call puts the receiver
/// in a one-slot frame, runs the function, and a mutating call reads the
/// changed `self` back from that slot.
public final class UserType {
    enum Kind {
        case structure, enumeration, classType, protocolType, builtin

        var word: String {
            switch self {
            case .structure: return "struct"
            case .enumeration: return "enum"
            case .classType: return "class"
            case .protocolType: return "protocol"
            case .builtin: return "extension"
            }
        }
    }

    struct StoredProperty {
        let name: String
        let isConstant: Bool
        let type: TypeRef?
        let typeText: String?
        /// The initial value, as a function of no arguments (nil: none).
        let initial: FunctionDecl?
        /// The initial value when it is a literal (no function to run).
        let literal: Value?
        /// `didSet` observer, run after the property changes through a place.
        var didSet: FunctionDecl?
        var willSet: FunctionDecl?
    }

    struct ComputedProperty {
        let getter: FunctionDecl
        var setter: FunctionDecl?
        let typeText: String
    }

    struct Method {
        let decl: FunctionDecl
        let isMutating: Bool
    }

    struct EnumCase {
        let name: String
        var rawValue: Value?
        /// Labels of the associated values (nil entries for unlabelled ones); nil without payload.
        let labels: [String?]?
        let types: [TypeRef?]
    }

    /// A requirement a protocol states.
    struct Requirement {
        let name: String
        let isMutating: Bool
        let isMethod: Bool
    }

    let name: String
    let kind: Kind
    var stored: [StoredProperty] = []
    var storedIndex: [String: Int] = [:]
    /// The memberwise initializer's labels and their stored properties'
    /// indices (nil when a label names no stored property), for the number
    /// of stored properties they were made for (`UserTypes.memberwise`).
    var memberwisePlan: (storedCount: Int, labels: [String?], indices: [Int]?)?
    var computed: [String: ComputedProperty] = [:]
    /// `subscript(…)` declarations: a getter of the subscript's parameters
    /// and maybe a setter (the same parameters, then the new value).
    var subscripts: [ComputedProperty] = []
    var methods: [String: [Method]] = [:]
    var staticStored: [String: GlobalSlot] = [:]
    var staticComputed: [String: ComputedProperty] = [:]
    var staticMethods: [String: [Method]] = [:]
    var inits: [FunctionDecl] = []
    var cases: [EnumCase] = []
    var caseIndex: [String: Int] = [:]
    var rawType: TypeRef?
    var superclass: UserType?
    var conformances: [String] = []
    var requirements: [Requirement] = []
    /// Protocols this type conforms to, resolved (their extensions give default members).
    var protocols: [UserType] = []
    var generics: [String] = []
    var isFinal = false
    var isIndirect = false
    /// The declaration as written (inspection shows it).
    var declaration = ""
    /// The runtime that runs this type's members (printing calls `description`).
    var runtime: Runtime? { link?.runtime }
    var link: RuntimeLink?
    /// The frame the declaring cell ran in.
    var captured: Frame? {
        didSet { capturedIdentity = captured.map(ObjectIdentifier.init) }
    }
    /// `captured`'s identity, compared without a reference counted.
    private(set) var capturedIdentity: ObjectIdentifier?

    init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }

    var isClass: Bool { kind == .classType }

    func addStored(_ p: StoredProperty) {
        storedIndex[p.name] = stored.count
        stored.append(p)
    }

    /// The chain of this type and its superclasses, nearest first.
    var lineage: [UserType] {
        var out: [UserType] = []
        var t: UserType? = self
        while let c = t {
            out.append(c)
            t = c.superclass
        }
        return out
    }

    /// Types whose members this type's values have: itself, its superclasses,
    /// then the protocols they conform to (their extensions' defaults).
    var memberSources: [UserType] {
        let chain = lineage
        var out = chain
        for t in chain {
            for p in t.protocols where !out.contains(where: { $0 === p }) { out.append(p) }
        }
        return out
    }

    func findMethods(_ name: String, isStatic: Bool = false) -> (UserType, [Method])? {
        if let ms = isStatic ? staticMethods[name] : methods[name] { return (self, ms) }
        if superclass == nil && protocols.isEmpty { return nil }
        for t in memberSources {
            if let ms = isStatic ? t.staticMethods[name] : t.methods[name] { return (t, ms) }
        }
        return nil
    }

    func findComputed(_ name: String, isStatic: Bool = false) -> ComputedProperty? {
        if let c = isStatic ? staticComputed[name] : computed[name] { return c }
        if superclass == nil && protocols.isEmpty { return nil }
        for t in memberSources {
            if let c = isStatic ? t.staticComputed[name] : t.computed[name] { return c }
        }
        return nil
    }

    /// The subscript whose parameters `labels` name (declared here, in a superclass or a protocol extension).
    func findSubscript(labels: [String?]) -> ComputedProperty? {
        let all = superclass == nil && protocols.isEmpty ? subscripts : memberSources.flatMap(\.subscripts)
        return all.first { ArgumentMatcher.exactLabels($0.getter.parameters, labels) } ?? (all.count == 1 ? all[0] : nil)
    }

    func findStatic(_ name: String) -> GlobalSlot? {
        for t in lineage { if let s = t.staticStored[name] { return s } }
        return nil
    }

    func conforms(to proto: String) -> Bool {
        for t in lineage {
            if t.name == proto || t.conformances.contains(proto) { return true }
            for p in t.protocols where p.name == proto || p.conformances.contains(proto) { return true }
        }
        return false
    }

    func isSubtype(of other: UserType) -> Bool {
        if other.kind == .protocolType { return conforms(to: other.name) }
        return lineage.contains { $0 === other || $0.name == other.name }
    }

    /// Every member name a value of this type offers (completion, suggestions).
    var memberNames: [String] {
        var names: [String] = []
        for t in memberSources {
            names += t.stored.map(\.name) + Array(t.computed.keys) + Array(t.methods.keys)
        }
        if kind == .enumeration {
            names.append("rawValue")
        }
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }

    var staticMemberNames: [String] {
        var names = cases.map(\.name) + Array(staticStored.keys) + Array(staticComputed.keys) + Array(staticMethods.keys)
        if kind == .enumeration && conforms(to: "CaseIterable") { names.append("allCases") }
        return names
    }

    /// Whether the type writes its own `description` (CustomStringConvertible).
    var describesItself: Bool {
        findComputed("description") != nil && conforms(to: "CustomStringConvertible")
    }

    /// Every name a `mutating` member of this type has.
    var mutatingNames: [String] {
        var names = methods.values.flatMap { $0 }.filter(\.isMutating).map(\.decl.name)
        names += requirements.filter(\.isMutating).map(\.name)
        return names
    }
}

/// A struct or enum value: its type, its enum case (0 for a struct) and its
/// stored properties or associated values. Shared by every copy of the value
/// until one changes: the two places that change a field (`Place.apply` and
/// `PlaceSite.walk`) take it out of its `Value` and make their own copy
/// first when it is not the only reference (`changing`), so a copy of a
/// struct is independent, as in Swift. Held by `Value.instance` without a
/// box, a field changes in place instead of the box being freed and made
/// again at each change.
public final class Instance {
    let type: UserType
    let tag: Int
    var fields: [Value]

    init(type: UserType, tag: Int, fields: [Value]) {
        self.type = type
        self.tag = tag
        self.fields = fields
    }

    var caseName: String { tag < type.cases.count ? type.cases[tag].name : "?" }

    /// `inst`, made the only reference to its instance (copied if it was
    /// shared; the copy's fields copy on their first change).
    static func changing(_ inst: inout Instance) {
        if !isKnownUniquelyReferenced(&inst) { inst = Instance(type: inst.type, tag: inst.tag, fields: inst.fields) }
    }
}

extension Value {
    /// The struct or enum type of an `.instance`, without keeping the
    /// instance: a caller that goes on to change the value (a mutating
    /// method) must not hold a second reference to it, or every change of a
    /// field would copy the instance.
    var instanceType: UserType? {
        if case .instance(let i) = self { return i.type }
        return nil
    }
}

/// An instance of a user class: a reference, shared by every variable that holds it.
final class ClassObject: HostObject {
    let type: UserType
    var fields: [Value]

    init(type: UserType, fields: [Value]) {
        self.type = type
        self.fields = fields
    }

    var typeName: String { type.name }

    var textDescription: String {
        if type.describesItself, let text = UserTypes.describe(.object(self), type) { return text }
        return type.name
    }
}

/// The user types of a notebook, by name, and the extensions of builtin types.
final class UserTypeTable {
    var types: [String: UserType] = [:] {
        didSet { typesChanged &+= 1 }
    }
    /// Counts the changes to `types`: a name's type is the one found under it
    /// while this stays the same (the table keeps it alive meanwhile).
    private(set) var typesChanged = 0
    /// Members added to builtin types, by registry type name (`Int`, `Array`).
    var extensions: [String: UserType] = [:] {
        didSet { extendsArray = extensions["Array"] != nil }
    }
    /// Whether a cell extended `Array` (its members may then shadow a builtin
    /// one such as `enumerated()`): read on every loop, so not a lookup.
    private(set) var extendsArray = false
    /// Names of every mutating user method (calls on them go through the variable).
    var mutatingNames: Set<String> = []
    /// Counts the changes to types' methods, conformances and superclasses
    /// (a call site's remembered method holds while it stays the same).
    var generation = 0

    func enumsHaving(_ caseName: String) -> [UserType] {
        types.values.filter { $0.kind == .enumeration && $0.caseIndex[caseName] != nil }.sorted { $0.name < $1.name }
    }
}
