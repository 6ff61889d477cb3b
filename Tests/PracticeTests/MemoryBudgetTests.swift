import CellIO
@testable import CellLanguage
import Foundation
import KernelMemory
import Practice
import Testing

/// Cells that would allocate past the kernel's memory budget stop with a
/// `ResourceLimit` that says how much they needed, before the allocation is
/// made, and every earlier variable keeps its value.
///
/// These tests lower the process-wide budget, so `make test` runs them apart
/// and one at a time (with `TrainingEngineTests`).
@Suite("MemoryBudgetTests", .serialized)
struct MemoryBudgetTests {
    /// Runs `body` with a budget of what the process holds now plus `room`.
    func withRoom<T>(_ room: Int, _ body: () throws -> T) rethrows -> T {
        let saved = MemoryBudget.limit
        defer { MemoryBudget.limit = saved }
        MemoryBudget.reclaim()
        MemoryBudget.limit = MemoryBudget.inUse() + room
        return try body()
    }

    /// A session holding `keep = 42`.
    func session() -> Session {
        let s = Session()
        _ = s.execute("let keep = 42", sink: NullSink())
        return s
    }

    static let bombs: [(name: String, code: String, needs: String)] = [
        ("string doubling", "var s = \"ab\"\nfor _ in 0..<64 { s = s + s }", "joining these two strings would need"),
        ("string +=", "var s = \"ab\"\nfor _ in 0..<64 { s += s }", "appending to this string would need"),
        ("interpolation", "var s = \"ab\"\nfor _ in 0..<64 { s = \"\\(s)\\(s)\" }", "would need"),
        ("array doubling", "var a = [1, 2, 3]\nfor _ in 0..<64 { a = a + a }", "joining these two arrays would need"),
        ("array +=", "var a = [1, 2, 3]\nfor _ in 0..<64 { a += a }", "appending to this array would need"),
        ("appending arrays", "var hoard: [[Int]] = []\nfor _ in 0..<10_000_000 { hoard.append(Array(repeating: 7, count: 100)) }",
         "would need"),
        ("Array(repeating:)", "let big = Array(repeating: 0, count: 40_000_000)", "Array(repeating:count:) would need"),
        ("String(repeating:)", "var parts: [String] = []\nfor _ in 0..<1_000 { parts.append(String(repeating: \"fish\", count: 10_000_000)) }",
         "String(repeating:count:) would need"),
        ("dictionary", "var d: [Int: String] = [:]\nfor i in 0..<100_000_000 { d[i] = \"fish number \\(i)\" }", "would need"),
        ("nested copies", "var grid = Array(repeating: Array(repeating: 0, count: 100_000), count: 10_000)\n"
            + "for i in 0..<10_000 { grid[i][0] = 1 }", "copying this array to change it would need"),
        ("struct field copies", "struct Row { var cells: [Int] }\n"
            + "var rows = Array(repeating: Row(cells: Array(repeating: 0, count: 100_000)), count: 10_000)\n"
            + "for i in 0..<10_000 { rows[i].cells[0] = 1 }", "copying this array to change it would need"),
        ("struct field +=", "struct Bag { var items: [Int] }\nvar b = Bag(items: [1, 2, 3])\nfor _ in 0..<64 { b.items += b.items }",
         "appending to this array would need"),
        ("range to array", "let xs = Array(0..<40_000_000)", "the numbers of this range would need"),
        ("map", "let xs = (0..<40_000_000).map { $0 * 2 }", "would need"),
        ("sorted copy", "var xs = Array(repeating: 1, count: 5_000_000)\nvar all: [[Int]] = []\nfor _ in 0..<100 { all.append(xs.sorted()) }",
         "would need"),
        ("description", "let xs = Array(repeating: 123456789, count: 10_000_000)\nlet text = \"\\(xs)\\(xs)\\(xs)\"", "would need"),
    ]

    @Test(arguments: bombs.map(\.name))
    func bombEndsInResourceLimitAndKeepsEarlierVariables(_ name: String) throws {
        let bomb = try #require(MemoryBudgetTests.bombs.first { $0.name == name })
        let s = session()
        let r = withRoom(200 << 20) { s.execute(bomb.code, sink: NullSink()) }
        let e = try #require(r.error, "\(name) did not stop")
        #expect(e.ename == "ResourceLimit", "\(name): \(e.evalue)")
        #expect(e.evalue.contains(bomb.needs), "\(name): \(e.evalue)")
        #expect(e.evalue.contains("memory budget"), "\(name): \(e.evalue)")
        // The cell's own variables go; what it made can be freed and earlier ones stay.
        _ = s.execute("s = \"\"", sink: NullSink())
        #expect(s.execute("keep", sink: NullSink()).value == Display.text("42"))
    }

    @Test func aConcatenationPastTheBudgetIsRefusedBeforeItIsMade() throws {
        let s = session()
        _ = s.execute("var s = String(repeating: \"x\", count: 40_000_000)", sink: NullSink())
        let (r, grew) = withRoom(60 << 20) { () -> (ExecutionResult, Int) in
            let before = MemoryBudget.residentBytes()
            let r = s.execute("let t = s + s + s", sink: NullSink())
            return (r, MemoryBudget.residentBytes() - before)
        }
        let e = try #require(r.error)
        #expect(e.evalue.hasPrefix("joining these two strings would need 76.3 MiB more, but this kernel holds "), "\(e.evalue)")
        #expect(e.evalue.hasSuffix(" memory budget; the cell stopped before making it"), "\(e.evalue)")
        #expect(grew < 40 << 20, "the refused 76 MiB string was made anyway: resident memory grew by \(grew >> 20) MiB")
        #expect(s.execute("s.count", sink: NullSink()).value == Display.text("40000000"))
    }

    @Test func afterARefusalSmallThingsStillWorkAndFreeingMakesRoom() throws {
        let s = session()
        try withRoom(150 << 20) {
            let r = s.execute("var hoard: [[Int]] = []\nwhile true { hoard.append(Array(repeating: 7, count: 1000)) }", sink: NullSink())
            #expect(r.error?.ename == "ResourceLimit")
            let sink = RecordingSink()
            let look = s.execute("print(\"keep is \\(keep) and the hoard holds \\(hoard.count) arrays\")", sink: sink)
            #expect(look.error == nil, "\(look.error?.evalue ?? "")")
            #expect(sink.stdout.hasPrefix("keep is 42 and the hoard holds "))
            #expect(s.execute("hoard = []", sink: NullSink()).error == nil)
            let again = s.execute("let room = Array(repeating: 1, count: 4_000_000).count", sink: NullSink())
            #expect(again.error == nil, "emptying the hoard made no room: \(again.error?.evalue ?? "")")
            _ = try #require(s.execute("room", sink: NullSink()).value)
        }
    }

    @Test func memoryFoundPastTheBudgetStopsARunningCell() throws {
        // Closures are not charged one by one; the cell's regular measurement stops it.
        let s = session()
        let r = withRoom(100 << 20) {
            s.execute("var fs: [() -> Int] = []\nfor i in 0..<50_000_000 { fs.append({ i }) }", sink: NullSink())
        }
        let e = try #require(r.error)
        #expect(e.ename == "ResourceLimit")
        #expect(e.evalue.contains("memory budget"), "\(e.evalue)")
        _ = s.execute("fs = []", sink: NullSink())
        #expect(s.execute("keep", sink: NullSink()).value == Display.text("42"))
    }

    @Test func aPollJustPastTheBudgetLeavesTheRefusalToTheNextChargeWhichSaysWhatItNeeded() throws {
        // A cell charging many small allocations can be a little past the
        // budget between two measurements; if the regular poll lands there, the
        // learner should still read what the cell needed, as the next charge says.
        let saved = MemoryBudget.limit
        defer { MemoryBudget.limit = saved }
        MemoryBudget.reclaim()
        MemoryBudget.limit = MemoryBudget.inUse() - (2 << 20)
        try MemoryBudget.poll()
        do {
            try MemoryBudget.charge(1_632)
            Issue.record("a charge past the budget was not refused")
        } catch {
            #expect(error.requested == 1_632)
            #expect(Memory.message(error, what: "this array").hasPrefix("this array would need 1.6 KiB more, but this kernel holds "))
        }
        // Nothing charged since, and still past the budget: the poll stops the cell itself.
        MemoryBudget.limit = MemoryBudget.inUse() - (2 << 20)
        try MemoryBudget.poll()
        #expect(throws: MemoryRefusal.self) { try MemoryBudget.poll() }
        // Far past the budget, the first poll stops it.
        MemoryBudget.limit = MemoryBudget.inUse() / 2
        #expect(throws: MemoryRefusal.self) { try MemoryBudget.poll() }
    }

    @Test func tensorsAndPicturesCountAgainstTheSameBudget() throws {
        let s = session()
        let r = withRoom(100 << 20) { s.execute("let fish = Fish.synthetic(seed: 1, perClass: 200, imageSize: 224)", sink: NullSink()) }
        let e = try #require(r.error)
        #expect(e.ename == "ResourceLimit")
        #expect(e.evalue.hasPrefix("a tensor of 344.5 MiB would not fit: this kernel holds "), "\(e.evalue)")
        let layer = withRoom(100 << 20) { s.execute("let huge = Dense(100_000, 100_000)", sink: NullSink()) }
        #expect(layer.error?.ename == "ResourceLimit", "\(layer.error?.evalue ?? "no error")")
        #expect(s.execute("keep", sink: NullSink()).value == Display.text("42"))
    }
}

/// The checks the budget relies on, and its sizes and messages.
@Suite struct MemoryAccountingTests {
    @Test func aValueTakesThreeWords() {
        // Every array element and register is a Value: dictionaries and tuples
        // are held by one reference (no box of their own) without making it larger.
        #expect(MemoryLayout<Value>.stride == 24)
        #expect(Memory.valueBytes == 24)
    }

    @Test func sharedArrayStorageIsToldApartFromOwnedStorage() {
        var owned: [Value] = [.int(1), .int(2)]
        #expect(Memory.isUnique(&owned))
        let copy = owned
        #expect(!Memory.isUnique(&owned))
        #expect(Memory.growth(of: &owned, adding: 0) == Memory.values(2), "writing to a shared array copies it")
        _ = copy
        var empty: [Value] = []
        #expect(Memory.isUnique(&empty))
    }

    @Test func growthIsChargedOnlyWhenTheStorageIsFull() {
        var items: [Value] = []
        items.reserveCapacity(4)
        items.append(.int(1))
        #expect(Memory.growth(of: &items, adding: 1) == 0)
        #expect(Memory.growth(of: &items, adding: 10) == Memory.values(11))
    }

    @Test func sizesSaturateInsteadOfOverflowing() {
        #expect(Memory.values(Int.max / 2) > 1 << 60)
        #expect(Memory.text(Memory.sum(Int.max, Int.max)) > 1 << 60)
        #expect(throws: MemoryRefusal.self) { try MemoryBudget.charge(Memory.values(Int.max / 4)) }
    }

    @Test func sizesReadAndWrite() {
        #expect(MemoryBudget.parseSize("2G") == 2 << 30)
        #expect(MemoryBudget.parseSize("1500M") == 1500 << 20)
        #expect(MemoryBudget.parseSize("512MiB") == 512 << 20)
        #expect(MemoryBudget.parseSize("1073741824") == 1 << 30)
        #expect(MemoryBudget.parseSize("lots") == nil)
        #expect(MemoryBudget.parseSize("-1G") == nil)
        #expect(MemoryBudget.format(300 << 20) == "300.0 MiB")
        #expect(MemoryBudget.format(1536 << 20) == "1.5 GiB")
        #expect(MemoryBudget.format(512) == "512 bytes")
        #expect(MemoryBudget.budget(forLimit: 8 << 30) == 7 << 30)
    }
}
