import CellIO
@testable import CellLanguage
import Testing

/// Re-running a cell frees what the run before it made. A type a cell
/// declares keeps the cell's frame; a temporary of the cell's compiled code
/// left in that frame (the array a `for` loop walked), or the loop's variable,
/// kept one of the type's own instances, and it the type: a cycle, and every
/// re-run of a cell like this one kept another 50,000 fish (8 MB) until the
/// kernel restarted.
@Suite("memory across cells")
struct CellMemoryTests {
    private static let cell = """
        struct Fish { var name: String; var length: Double }
        var fish = [Fish]()
        for i in 0..<1_000 { fish.append(Fish(name: "f\\(i % 10)", length: Double(i % 100))) }
        var total = 0.0
        for f in fish { total += f.length }
        print(total)
        """

    @Test(arguments: [true, false])
    func aCellRunAgainFreesTheTypeAndInstancesOfTheRunBefore(compiled: Bool) throws {
        let interpreter = Interpreter(output: RecordingSink())
        interpreter.runtime.compilesFunctions = compiled
        _ = try interpreter.run(Self.cell)
        weak var first: Instance?
        if case .array(let items)? = interpreter.globals.slots["fish"]?.value, case .instance(let i)? = items.first {
            first = i
        }
        weak var firstType = interpreter.globals.userTypes.types["Fish"]
        #expect(first != nil && firstType != nil)
        _ = try interpreter.run(Self.cell)
        _ = try interpreter.run(Self.cell)
        #expect(first == nil, "the first run's fish are still alive after two re-runs")
        #expect(firstType == nil, "the first run's Fish type is still alive after two re-runs")
    }

    /// The same with a closure defined inside a loop's body, kept in a global:
    /// only the locals it reads stay in the frame (here the loop's running
    /// count); the instances in the other locals (the loop's variable) go.
    private static let cellWithAClosureInABlock = """
        struct Fish { var name: String; var length: Double }
        var fish = [Fish]()
        for i in 0..<1_000 { fish.append(Fish(name: "f\\(i % 10)", length: Double(i % 100))) }
        var reports: [() -> String] = []
        if fish.count > 0 {
            var seen = 0
            for f in fish { seen += f.length > 50 ? 1 : 0 }
            reports.append { "\\(seen) long fish" }
        }
        print(reports[0]())
        """

    @Test(arguments: [true, false])
    func aClosureInABlockKeepsOnlyWhatItReads(compiled: Bool) throws {
        let sink = RecordingSink()
        let interpreter = Interpreter(output: sink)
        interpreter.runtime.compilesFunctions = compiled
        _ = try interpreter.run(Self.cellWithAClosureInABlock)
        weak var first: Instance?
        if case .array(let items)? = interpreter.globals.slots["fish"]?.value, case .instance(let i)? = items.last {
            first = i
        }
        weak var firstType = interpreter.globals.userTypes.types["Fish"]
        #expect(first != nil && firstType != nil)
        _ = try interpreter.run(Self.cellWithAClosureInABlock)
        _ = try interpreter.run(Self.cellWithAClosureInABlock + "\nprint(reports[0]())")
        #expect(first == nil, "the first run's fish are still alive after two re-runs")
        #expect(firstType == nil, "the first run's Fish type is still alive after two re-runs")
        // The kept closure still reads its count after its cell has finished.
        _ = try interpreter.run("print(reports[0]())")
        #expect(sink.stdout.components(separatedBy: "490 long fish").count - 1 == 5, "\(sink.stdout)")
    }
}
