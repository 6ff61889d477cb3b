import CellIO
import CellLanguage
import Practice
import Testing

/// Completion and inspection know the learner's own types.
@Suite("user types in completion and inspection")
struct UserTypeServicesTests {
    static let fishCell = """
        struct Fish {
            var name: String
            var length: Double
            var isLong: Bool { length > 50 }
            mutating func grow(by amount: Double) { length += amount }
        }
        enum Water: String { case fresh, salt }
        var fish = Fish(name: "cod", length: 30)
        """

    @Test func membersOfAUserStruct() {
        let s = session(Self.fishCell)
        let (code, cursor) = cursorCell("fish.|")
        let matches = s.complete(code, cursor: cursor).matches
        #expect(["grow", "isLong", "length", "name"].allSatisfy(matches.contains))
        let (partial, at) = cursorCell("fish.le|")
        #expect(s.complete(partial, cursor: at).matches == ["length"])
    }

    @Test func casesOfAUserEnumAndTheTypeName() {
        let s = session(Self.fishCell)
        let (code, cursor) = cursorCell("Water.|")
        #expect(s.complete(code, cursor: cursor).matches.contains("salt"))
        let (name, at) = cursorCell("Fi|")
        #expect(s.complete(name, cursor: at).matches.contains("Fish"))
    }

    @Test func initializerAndMethodLabels() {
        let s = session(Self.fishCell)
        let (code, cursor) = cursorCell("Fish(name: \"eel\", |")
        #expect(s.complete(code, cursor: cursor).matches.contains("length:"))
        let (call, at) = cursorCell("fish.grow(|")
        #expect(s.complete(call, cursor: at).matches.contains("by:"))
    }

    @Test func inspectingAUserTypeShowsItsDeclaration() {
        let s = session(Self.fishCell)
        let (code, cursor) = cursorCell("Fi|sh")
        let text = s.inspect(code, cursor: cursor)?.text ?? ""
        #expect(text.hasPrefix("struct Fish {"))
        #expect(text.contains("mutating func grow(by amount: Double)"))
        let (member, at) = cursorCell("fish.gro|w")
        #expect(s.inspect(member, cursor: at)?.text == "mutating func grow(by amount: Double)")
        let (value, vat) = cursorCell("fi|sh")
        #expect(s.inspect(value, cursor: vat)?.text == "fish: Fish = Fish(name: \"cod\", length: 30.0)")
    }
}
