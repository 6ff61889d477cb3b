import CellIO
import CellLanguage
import Practice
import Testing

/// The core builtins take typed arguments and receivers through the registry:
/// a learner who passes the wrong kind of value reads a TypeError with the
/// caret under that argument, and a member never answers a default for a
/// receiver of another type.
@Suite("typed builtin arguments and receivers")
struct TypedBuiltinTests {
    /// The traceback's first three lines: place and message, the cell's line, the caret.
    func error(_ code: String, registry: BuiltinRegistry? = nil) -> [String] {
        let result = Session(registry: registry).execute(code, sink: RecordingSink())
        return Array((result.error?.traceback ?? []).prefix(3))
    }

    @Test("a wrong argument type is a TypeError under that argument",
          arguments: [
              ("\"clownfish\".hasPrefix(3)",
               "cell:1:23: error: TypeError: cannot convert value of type 'Int' to expected argument type 'String'",
               "                      ^"),
              ("var xs = [1, 2]\nxs.swapAt(0, \"one\")",
               "cell:2:14: error: TypeError: cannot convert value of type 'String' to expected argument type 'Int'",
               "             ^~~~~"),
              ("let p = pow(2.0, \"3\")",
               "cell:1:18: error: TypeError: cannot convert value of type 'String' to expected argument type 'Double'",
               "                 ^~~"),
              ("let n = Int.random(in: 1...6, using: 7)",
               "cell:1:38: error: TypeError: 'using:' expects a RandomGenerator, not 'Int'",
               "                                     ^"),
              ("let xs = [3, 1].map(5)",
               "cell:1:21: error: TypeError: cannot convert value of type 'Int' to expected argument type 'function'",
               "                    ^"),
          ])
    func argumentType(_ code: String, _ first: String, _ caret: String) {
        let lines = error(code)
        #expect(lines.first == first)
        #expect(lines.last == caret)
    }

    @Test("an optional is refused where the parameter is not optional, as Swift does")
    func optionalArgument() {
        let lines = error("let x: Double? = 2.0\nlet r = sqrt(x)")
        #expect(lines.first == "cell:2:14: error: TypeError: cannot convert value of type 'Double?' to expected argument type 'Double'")
    }

    @Test("a member whose receiver is of another type is a TypeError at the call, not a default answer")
    func wrongReceiver() {
        let r = Session.makeRegistry()
        // A declaration that promises a String receiver on arrays: the registry
        // refuses the array instead of answering 0 or "".
        r.addProperty(on: "Array", "letters: Int", doc: "A wrong declaration.", receiver: String.self) { s, _ in .int(s.count) }
        r.addMutatingMethod(on: "Array", "grow()", doc: "A wrong declaration.", receiver: OrderedDictionary.self) { _, _ in .void }
        #expect(error("let xs = [1, 2]\nlet n = xs.letters", registry: r) == [
            "cell:2:12: error: TypeError: 'letters' cannot be used on a value of type '[Int]'",
            "let n = xs.letters",
            "           ^~~~~~~",
        ])
        let session = Session(registry: r)
        _ = session.execute("var ys = [1, 2]", sink: RecordingSink())
        let result = session.execute("ys.grow()", sink: RecordingSink())
        #expect(result.error?.evalue == "'grow' cannot be used on a value of type '[Int]'")
        // The array is left as it was.
        #expect(session.execute("ys", sink: RecordingSink()).value == Display.text("[1, 2]"))
    }

    @Test("a mutating builtin that fails leaves its receiver unchanged")
    func failedMutation() {
        let session = Session()
        _ = session.execute("var xs = [1, 2, 3]", sink: RecordingSink())
        #expect(session.execute("xs.insert(9, at: 7)", sink: RecordingSink()).error?.ename == "IndexError")
        #expect(session.execute("xs.removeAll(where: { $0 > \"a\" })", sink: RecordingSink()).error?.ename == "TypeError")
        #expect(session.execute("xs", sink: RecordingSink()).value == Display.text("[1, 2, 3]"))
    }
}
