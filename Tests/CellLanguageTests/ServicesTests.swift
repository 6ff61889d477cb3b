import CellIO
import CellLanguage
import Practice
import Testing

/// Splits a cell written with a `|` cursor marker into text and cursor (in Unicode scalars).
func cursorCell(_ marked: String) -> (String, Int) {
    let scalars = Array(marked.unicodeScalars)
    let i = scalars.firstIndex(of: "|")!
    var rest = scalars
    rest.remove(at: i)
    return (String(String.UnicodeScalarView(rest)), i)
}

func session(_ setup: String = "") -> Session {
    let s = Session()
    if !setup.isEmpty {
        let r = s.execute(setup, sink: RecordingSink())
        #expect(r.error == nil)
    }
    return s
}

@Suite("completion")
struct CompletionTests {
    @Test func membersOfLiveArray() {
        let s = session("let scores = [0.5, 0.9]")
        let (code, cursor) = cursorCell("scores.so|")
        let c = s.complete(code, cursor: cursor)
        #expect(c.matches == ["sort", "sorted"])
        #expect(c.cursorStart == 7 && c.cursorEnd == 9)
    }

    @Test func membersOfString() {
        let s = session("let name = \"clownfish\"")
        let (code, cursor) = cursorCell("name.upp|")
        #expect(s.complete(code, cursor: cursor).matches == ["uppercased"])
    }

    @Test func membersOfTupleLabels() {
        let s = session("let result = (loss: 0.2, accuracy: 0.9)")
        let (code, cursor) = cursorCell("result.ac|")
        #expect(s.complete(code, cursor: cursor).matches == ["accuracy"])
    }

    @Test func staticMembersOfType() {
        let (code, cursor) = cursorCell("Int.ma|")
        #expect(session().complete(code, cursor: cursor).matches == ["max"])
    }

    @Test func namesInScope() {
        let s = session("let trainingSet = [1]\nlet trainingLoss = 0.5")
        let (code, cursor) = cursorCell("print(train|")
        #expect(s.complete(code, cursor: cursor).matches == ["trainingLoss", "trainingSet"])
    }

    @Test func builtinNames() {
        let (code, cursor) = cursorCell("zi|")
        #expect(session().complete(code, cursor: cursor).matches == ["zip"])
    }

    @Test func argumentLabelsInsideCall() {
        let s = session("func train(epochs: Int, batchSize: Int = 32, learningRate: Double = 0.01) {}")
        let (code, cursor) = cursorCell("train(epochs: 3, |")
        let c = s.complete(code, cursor: cursor)
        #expect(c.matches.prefix(2) == ["batchSize:", "learningRate:"])
        #expect(!c.matches.contains("epochs:"))
    }

    @Test func builtinArgumentLabels() {
        let (code, cursor) = cursorCell("print(1, sep|")
        #expect(session().complete(code, cursor: cursor).matches == ["separator:"])
    }

    @Test func methodArgumentLabels() {
        let s = session("var xs = [1]")
        let (code, cursor) = cursorCell("xs.insert(5, a|")
        let matches = s.complete(code, cursor: cursor).matches
        #expect(matches.first == "at:")
        #expect(matches.dropFirst().allSatisfy { $0.hasPrefix("a") && !$0.hasSuffix(":") })
    }

    @Test func emojiBeforeCursorCountsScalars() {
        let s = session("let fishes = [\"🐟\"]")
        let (code, cursor) = cursorCell("let label = \"🐟🐠\"; fishes.cou|")
        let c = s.complete(code, cursor: cursor)
        #expect(c.matches == ["count"])
        // 🐟 and 🐠 are one scalar each: the replaced range is "cou".
        #expect(c.cursorEnd == cursor)
        #expect(c.cursorStart == cursor - 3)
    }

    @Test func nothingForUnknownReceiver() {
        let (code, cursor) = cursorCell("nothingHere.co|")
        #expect(session().complete(code, cursor: cursor).matches.isEmpty)
    }
}

@Suite("inspection")
struct InspectionTests {
    @Test func builtinSignatureAndDoc() throws {
        let (code, cursor) = cursorCell("str|ide(from: 0, to: 10, by: 2)")
        let i = try #require(session().inspect(code, cursor: cursor))
        #expect(i.text.contains("stride(from start: Int, to end: Int, by step: Int) -> [Int]"))
        #expect(i.text.contains("Numbers from start up to"))
    }

    @Test func insideCallShowsCallee() throws {
        let (code, cursor) = cursorCell("print(|")
        let i = try #require(session().inspect(code, cursor: cursor))
        #expect(i.text.hasPrefix("print(_ items: Any..., separator: String = \" \", terminator: String = \"\\n\")"))
    }

    @Test func variableTypeAndValue() throws {
        let s = session("let losses = [0.5, 0.25]")
        let (code, cursor) = cursorCell("loss|es")
        let i = try #require(s.inspect(code, cursor: cursor))
        #expect(i.text == "losses: [Double] = [0.5, 0.25]\n2 elements")
    }

    @Test func memberDoc() throws {
        let s = session("var xs = [1]")
        let (code, cursor) = cursorCell("xs.app|end(2)")
        let i = try #require(s.inspect(code, cursor: cursor))
        #expect(i.text.hasPrefix("func append(_ element: Element)"))
    }

    @Test func userFunctionSignature() throws {
        let s = session("func iterations(images: Int, batchSize: Int) -> Int { images / batchSize }")
        let (code, cursor) = cursorCell("iterations|")
        let i = try #require(s.inspect(code, cursor: cursor))
        #expect(i.text == "func iterations(images: Int, batchSize: Int) -> Int")
    }

    @Test func unknownNameIsNotFound() {
        let (code, cursor) = cursorCell("mystery|")
        #expect(session().inspect(code, cursor: cursor) == nil)
    }

    @Test func emojiBeforeCursor() throws {
        let s = session("let fish = 3")
        let (code, cursor) = cursorCell("\"🐟🐠🐡\"; fi|sh")
        let i = try #require(s.inspect(code, cursor: cursor))
        #expect(i.text == "fish: Int = 3")
    }
}

@Suite("is complete")
struct IsCompleteTests {
    let s = Session()

    @Test func complete() {
        #expect(s.isComplete("let x = 1") == .complete)
        #expect(s.isComplete("print(\"hi\")") == .complete)
        #expect(s.isComplete("") == .complete)
    }

    @Test func openBraces() {
        #expect(s.isComplete("for i in 0..<3 {") == .incomplete(indent: "    "))
        #expect(s.isComplete("func f() {\n    if true {") == .incomplete(indent: "        "))
        #expect(s.isComplete("print(1,") == .incomplete(indent: "    "))
        #expect(s.isComplete("let xs = [1,\n2") == .incomplete(indent: "    "))
    }

    @Test func trailingOperator() {
        #expect(s.isComplete("let x = 1 +") == .incomplete(indent: ""))
        #expect(s.isComplete("let y =") == .incomplete(indent: ""))
    }

    @Test func openMultilineString() {
        #expect(s.isComplete("let s = \"\"\"\nfish") == .incomplete(indent: ""))
    }

    @Test func invalid() {
        #expect(s.isComplete("let x = )") == .invalid)
        #expect(s.isComplete("}") == .invalid)
        #expect(s.isComplete("let = 3") == .invalid)
    }
}

/// A builtin type whose initializer takes a result-builder style block, as
/// the lesson vocabulary's `Sequential { … }` will.
final class StackObject: HostObject {
    let items: [Value]
    init(_ items: [Value]) { self.items = items }
    var typeName: String { "Stack" }
    var textDescription: String { "Stack(" + items.map(\.debugDescription).joined(separator: ", ") + ")" }
}

@Suite("builder blocks")
struct BuilderBlockTests {
    func session() -> Session {
        let r = Session.makeRegistry()
        r.addType("Stack", doc: "Values collected from a block.")
        r.addFunction("Stack(_ content: () -> Any) -> Stack", doc: "Collects the block's values.",
                      arguments: FunctionArgument.self) { content, rt in
            .object(StackObject(try content.function.collectBuilderValues(rt)))
        }
        r.addProperty(on: "Stack", "count: Int", doc: "How many values.", receiver: StackObject.self) { s, _ in
            .int(s.items.count)
        }
        return Session(registry: r)
    }

    @Test func collectsEachExpressionStatement() {
        let s = session()
        let r = s.execute("let width = 16\nStack { width; width * 2\n \"relu\"\n print(\"not collected\") }", sink: RecordingSink())
        #expect(r.value == Display.text("Stack(16, 32, \"relu\")"))
    }

    @Test func singleExpressionBlockAndLocals() {
        let s = session()
        #expect(s.execute("Stack { 1 }.count", sink: RecordingSink()).value == Display.text("1"))
        let r = s.execute("Stack {\n    let base = 8\n    base\n    base * 4\n}", sink: RecordingSink())
        #expect(r.value == Display.text("Stack(8, 32)"))
    }
}
