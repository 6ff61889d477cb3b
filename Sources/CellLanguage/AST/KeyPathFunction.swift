/// `\.name` or `\Fish.tag.code` passed where a function is expected
/// (`catch.map(\.length)`): Swift turns a key path there into a function
/// that reads the members in turn, and so does this one.
final class KeyPathFunction: Callable {
    let path: [MemberExpr]

    init(path: [MemberExpr], text: String) {
        self.path = path
        super.init(name: text)
    }

    override var typeDescription: String { "(Any) -> Any" }

    override func invoke(_ x: Value, _ rt: Runtime) throws -> Value {
        var v = x
        for member in path { v = try member.value(of: v, rt) }
        return v
    }

    override func invoke(_ args: [Value], _ rt: Runtime) throws -> Value {
        guard args.count == 1 else {
            throw CellError.type("the key path \(name) takes 1 argument but was called with \(args.count)")
        }
        return try invoke(args[0], rt)
    }

    override func call(_ args: [Value], labels: [String?], literals: [Bool], ranges: [SourceRange],
                       callRange: SourceRange, _ rt: Runtime) throws -> Value {
        do { return try invoke(args, rt) } catch let e as CellError { throw e.located(callRange) }
    }
}
