@testable import CellLanguage
import Testing

/// `s += "x"` and `xs += [x]` append to the variable's own storage when
/// nothing else holds it: a string or array grown in a loop stays linear
/// instead of being copied whole on every append (quadratic before; 100,000
/// `a += [i]` took 27 s).
@Suite("appending with += in place")
struct CompoundAppendTests {
    private func storage(_ v: Value) -> UnsafeRawPointer? {
        switch v {
        case .string(let s): return s.utf8.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil
        case .array(let items): return items.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        default: return nil
        }
    }

    @Test func aStringAppendsToItsOwnStorage() throws {
        var text = String(repeating: "fish ", count: 20)
        text.reserveCapacity(4096)
        var v = Value.string(text)
        text = ""
        let before = try #require(storage(v))
        for _ in 0..<10 { try CompoundAssignExpr.combine(&v, .string("cod "), op: .add, promote: false, at: .unknown) }
        #expect(storage(v) == before)
        #expect(v == .string(String(repeating: "fish ", count: 20) + String(repeating: "cod ", count: 10)))
    }

    @Test func anArrayAppendsToItsOwnStorage() throws {
        var items: [Value] = [.int(1)]
        items.reserveCapacity(64)
        var v = Value.array(items)
        items = []
        let before = try #require(storage(v))
        for i in 2...10 { try CompoundAssignExpr.combine(&v, .array([.int(i)]), op: .add, promote: false, at: .unknown) }
        #expect(storage(v) == before)
        #expect(v == .array((1...10).map { Value.int($0) }))
    }

    @Test func aSharedStringIsCopiedAndTheOtherHolderKeepsItsValue() throws {
        var v = Value.string(String(repeating: "x", count: 40))
        let other = v
        try CompoundAssignExpr.combine(&v, .string("y"), op: .add, promote: false, at: .unknown)
        #expect(other == .string(String(repeating: "x", count: 40)))
        #expect(v == .string(String(repeating: "x", count: 40) + "y"))
    }
}
