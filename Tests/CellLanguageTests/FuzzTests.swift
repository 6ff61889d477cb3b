import CellIO
import CellLanguage
import Foundation
import Practice
import Testing

/// Seeded, bounded fuzzing: every generated or mutated cell must end in a
/// value or a diagnostic, never a crash or a hang.
struct FuzzChunk: CustomTestStringConvertible, Sendable {
    let seed: UInt64
    let count: Int
    var testDescription: String { "seed \(seed)" }

    /// 20 chunks of 5,000 cells: 100,000 cells in all.
    static let all = (0..<20).map { FuzzChunk(seed: UInt64($0) &* 7919 &+ 17, count: chunkSize) }
    static let chunkSize = Int(ProcessInfo.processInfo.environment["SHOAL_FUZZ_CHUNK"] ?? "") ?? 5_000
}

enum FuzzInput {
    static let fragments = [
        "let", "var", "func", "if", "else", "for", "in", "while", "repeat", "switch", "case", "default", "return",
        "break", "continue", "guard", "true", "false", "nil", "x", "y", "xs", "f", "print", "map", "count", "$0",
        "0", "1", "-1", "3.5", "1e308", "9223372036854775807", "\"s\"", "\"\\(x)\"", "\"\"\"", "(", ")", "[", "]",
        "{", "}", "+", "-", "*", "/", "%", "==", "<", "..<", "...", "&&", "||", "!", "?", "??", ".", ",", ":",
        "=", "+=", "->", "_", "\n", ";", "class", "struct", "#file", "try", "await", "&", "@", "\\", "`", "'",
        "Int", "Double", "String", "Array(repeating: 0, count: 1000)", "stride(from: 0, to: 10, by: 1)",
        "xs[0]", "x!", "[1, 2, 3]", "[\"a\": 1]", "(1, 2)", "{ $0 }", "readLine()", "Int.max",
        // Issue 22: errors, defer, inout, sets, trailing closures, partial ranges.
        "throw", "throws", "do", "catch", "catch let e", "try?", "try!", "defer", "inout", "&x", "error",
        "Set<Int>()", "Set([1, 2, 2])", "let s: Set = [1, 2]", ".insert(3)", ".remove(1)", ".union([9])",
        ".reduce(into: [:]) { $0[$1, default: 0] += 1 }", "Dictionary(grouping: [1, 2], by: { $0 % 2 })",
        ".min(by: <)", ".max { $0 < $1 }", "0.9...", "..<0.5", "} else: {", "actor", "Task", "@State", "some",
        "if case", "guard case", "let y?", "as Double", "is String", "catch let e as Int", "!.append(1)", "?.append(1)",
    ]

    static let seeds: [String] = {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/cells")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.sorted().compactMap { try? String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8) }
    }()

    static let forcedCategory = Int(ProcessInfo.processInfo.environment["SHOAL_FUZZ_CATEGORY"] ?? "")

    static func cell(_ rng: inout SeededGenerator) -> String {
        // Weights: 40% random tokens, 44% mutated fixtures, 4% each new
        // constructs put together, deep nesting, huge literals and runaway
        // loops (the slow kinds).
        let category = Int.random(in: 0..<100, using: &rng)
        switch forcedCategory ?? category {
        case 0..<40: return randomTokens(&rng)
        case 40..<44: return constructs(&rng)
        case 44..<88: return mutate(seeds.randomElement(using: &rng) ?? "x", &rng)
        case 88..<92: return deepNesting(&rng)
        case 92..<96: return hugeLiteral(&rng)
        default: return longLoop(&rng)
        }
    }

    static func randomTokens(_ rng: inout SeededGenerator) -> String {
        let n = Int.random(in: 1...40, using: &rng)
        return (0..<n).map { _ in fragments.randomElement(using: &rng)! }.joined(separator: " ")
    }

    static func mutate(_ text: String, _ rng: inout SeededGenerator) -> String {
        var chars = Array(text)
        guard !chars.isEmpty else { return text }
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            guard !chars.isEmpty else { break }
            let i = Int.random(in: 0..<chars.count, using: &rng)
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: chars = Array(chars[..<i])                                    // truncate
            case 1: chars.removeSubrange(i..<min(chars.count, i + Int.random(in: 1...20, using: &rng)))
            case 2: chars.insert(contentsOf: fragments.randomElement(using: &rng)!, at: i)
            case 3:
                let j = Int.random(in: 0..<chars.count, using: &rng)
                chars.swapAt(i, j)
            default:
                let end = min(chars.count, i + Int.random(in: 1...30, using: &rng))
                chars.insert(contentsOf: chars[i..<end], at: i)                   // duplicate a span
            }
        }
        return String(chars)
    }

    /// A few of issue 22's constructs (throw/catch, defer, inout, sets,
    /// reduce(into:), trailing closures) joined with random parts, so that
    /// they meet each other and odd values.
    static func constructs(_ rng: inout SeededGenerator) -> String {
        let values = ["0", "1", "-1", "2.5", "\"fish\"", "[1, 2]", "nil", "(1, 2)", "Set([1])", "[:]", "x"]
        func v(_ rng: inout SeededGenerator) -> String { values.randomElement(using: &rng)! }
        let pieces: [(inout SeededGenerator) -> String] = [
            { "func t(_ a: Any) throws -> Any { if Int.random(in: 0...1) == 0 { throw a }; return a }" + "\n" +
              "do { print(try t(\(v(&$0)))) } catch let e { print(\"caught\", e) }" },
            { "func g() throws { defer { print(\"d\") }; throw \(v(&$0)) }\ndo { try g() } catch { print(error) }" },
            { "print(try? t(\(v(&$0))) as Any)" },
            { "let r = try! t(\(v(&$0)))" },
            { "var x = \(v(&$0))\nfunc bump(_ y: inout Any) { y = \(v(&$0)) }\nbump(&x)\nprint(x)" },
            { "func inc(_ n: inout Int, by k: Int = 1) { n += k }\nvar n = 1\ninc(&n, by: \(v(&$0)))" },
            { "var s: Set = [\(v(&$0)), \(v(&$0))]\ns.insert(\(v(&$0)))\nprint(s.union([\(v(&$0))]), s.sorted())" },
            { "[\(v(&$0)), \(v(&$0))].reduce(into: [:]) { $0[$1, default: 0] += 1 }" },
            { "Dictionary(grouping: [\(v(&$0)), \(v(&$0))], by: { \"\\($0)\" })" },
            { "var fs: [() -> Any] = []\nfs.append { \(v(&$0)) }\nfs.map { $0() }" },
            { "[\(v(&$0)), \(v(&$0))].min(by: { $0 < $1 })" },
            { "switch \(v(&$0)) { case 0.9...: print(1); case ..<0.5: print(2); default: print(3) }" },
            { "func m(_ a: () -> Int, b: () -> Int) -> Int { a() + b() }\nm { \(v(&$0)) } b: { 1 }" },
            // Today's: places through optionals, if/guard case, type-testing patterns, shared case names, literals into Doubles.
            { "var g: [String: [Any]] = [\"a\": [\(v(&$0))]]\ng[\"a\"]!.append(\(v(&$0)))\ng[\(v(&$0))]?.append(1)\nprint(g)" },
            { "var o: Int? = \(v(&$0))\no! += \(v(&$0))\no? -= 1" },
            { "if case let y? = \(v(&$0)) as Any? { print(y) }\nif case 1...9 = \(v(&$0)) { print(1) }" },
            { "enum K { case a(Int), b(Int), c }\nswitch K.a(\(v(&$0))) { case .a(let n), .b(let n): print(n); case .c: break }" },
            { "let w: Any = \(v(&$0))\nswitch w { case let d as Double: print(d); case is String: print(1); default: print(w) }" },
            { "do { throw \(v(&$0)) } catch let e as Int { print(e) } catch is String { print(2) } catch { print(error) }" },
            { "var ds: [Double] = []\nds.append(\(v(&$0)))\nds += [1, \(v(&$0))]\nprint(ds)" },
            // Loop bindings captured per iteration, try checks, == errors, for case, init?, subscripts, nested types.
            { "var cs: [() -> Any] = []\nfor i in [\(v(&$0)), \(v(&$0))] { var j = i; cs.append { j } }\nwhile cs.count < 3 { let k = \(v(&$0)); cs.append { k } }\nprint(cs.map { $0() })" },
            { "func th() throws -> Any { \(v(&$0)) }\nprint(th())" },
            { "struct Q: Hashable { let n: Int; static func == (a: Q, b: Q) -> Bool { [1][a.n] == [1][b.n] } }\nprint([Q(n: 0)].contains(Q(n: \(v(&$0)))), Set([Q(n: 1)]))" },
            { "for case let y? in [\(v(&$0)), nil] as [Any?] { print(y) }\nfor case (let a, 1) in [(\(v(&$0)), 1)] { print(a) }" },
            { "struct P { var a: Int; init?(a: Int) { if a < 0 { return nil }; self.a = a } }\nprint(P(a: \(v(&$0))) as Any)" },
            { "struct G { var xs = [1, 2]; subscript(i: Int) -> Int { get { xs[i] } set { xs[i] = newValue } } }\nvar gg = G()\ngg[\(v(&$0))] += 1\nprint(gg[0])" },
            { "struct O { enum E { case a, b }; var e: E = .a }\nprint(O().e, O.E.b, O(e: \(v(&$0))))" },
            // Delegating initializers, throwing methods, [Any] literals, Int variables into Doubles, unknown cases.
            { "struct D { var a: Int; init(a: Int) { self.a = a }; init?(s: Any) { guard let n = s as? Int else { return nil }; self.init(a: n) } }\nprint(D(s: \(v(&$0))) as Any)" },
            { "class C { var a: Any; init(a: Any) { self.a = a }; convenience init() { self.init(a: \(v(&$0))) } }\nprint(C().a)" },
            { "struct T { func f(_ x: Any) throws -> Any { x } }\nlet t = T()\nprint(try t.f(\(v(&$0))))\nprint(t.f(1))" },
            { "let xa: [Any] = [1, 2.5, \(v(&$0))]\nvar dd: [String: Double] = [:]\nlet kk = \(v(&$0))\ndd[\"a\"] = kk\nvar da: [Double] = [1]\nda += [kk]\nprint(xa, dd, da)" },
            { "enum U { case a(Int), b }\nfor case let .c(n) in [U.a(\(v(&$0))), .b] { print(n) }\nif case .d = U.b { print(1) }" },
            // Conversions the machine does itself, at the edges of Int (9.223372036854775807e18 is 2⁶³ as a Double).
            { "for d in [\(v(&$0)), 9.223372036854775807e18, -9.3e18, Double.nan, 1e308] { print(Int(d), Double(\(v(&$0))), abs(\(v(&$0)))) }" },
            { "enum W { case a, b }\nfunc f(_ w: W) -> Int { switch w { case .a: return 1; case .c: return 2; default: return 0 } }\nlet ws: [W] = [.a]\nfor case .e in ws { print(\(v(&$0))) }" },
        ]
        let n = Int.random(in: 1...4, using: &rng)
        var text = (0..<n).map { _ in pieces.randomElement(using: &rng)!(&rng) }.joined(separator: "\n")
        if Bool.random(using: &rng) { text = mutate(text, &rng) }
        return text
    }

    static func deepNesting(_ rng: inout SeededGenerator) -> String {
        let depth = Int.random(in: 10...300, using: &rng)
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: return String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
        case 1: return String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        case 2: return String(repeating: "if true { ", count: depth) + "print(1)" + String(repeating: " }", count: depth)
        case 3: return "let x = " + Array(repeating: "1", count: depth / 3).joined(separator: " + ")
        default: return String(repeating: "{ ", count: depth)
        }
    }

    static func hugeLiteral(_ rng: inout SeededGenerator) -> String {
        let n = Int.random(in: 20...3_000, using: &rng)
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: return "let big = " + String(repeating: "9", count: n)
        case 1: return "let s = \"" + String(repeating: "🐟", count: n) + "\"\ns.count"
        case 2: return "let d = 1." + String(repeating: "5", count: n) + "e999"
        default: return "let xs = [" + Array(repeating: "0", count: n / 20).joined(separator: ",") + "]\nxs.count"
        }
    }

    static func longLoop(_ rng: inout SeededGenerator) -> String {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: return "var n = 0\nwhile true { n += 1 }"
        case 1: return "func f(_ n: Int) -> Int { f(n + 1) }\nf(0)"
        case 2: return "var xs = [Int]()\nfor i in 0..<10_000_000 { xs.append(i) }"
        default: return "var s = \"\"\nrepeat { s += \"fish\" } while true"
        }
    }
}

/// What one chunk of fuzzing saw.
struct FuzzOutcome: Sendable {
    var values = 0, diagnostics = 0, silent = 0
    var problems: [String] = []
}

func fuzz(_ chunk: FuzzChunk) -> FuzzOutcome {
    var rng = SeededGenerator(seed: chunk.seed)
    var limits = Limits()
    limits.maxSteps = 20_000
    limits.maxCallDepth = 300
    limits.maxSeconds = 5
    limits.maxCollectionCount = 1_000_000
    var session = Session(limits: limits)
    var outcome = FuzzOutcome()
    let slow = ProcessInfo.processInfo.environment["SHOAL_FUZZ_SLOW"] != nil
    for i in 0..<chunk.count {
        if i % 500 == 0 { session = Session(limits: limits) }
        let code = FuzzInput.cell(&rng)
        let started = Date()
        let result = session.execute(code, sink: RecordingSink())
        if slow, Date().timeIntervalSince(started) > 0.5 {
            FileHandle.standardError.write(Data("slow cell (\(Date().timeIntervalSince(started)) s): \(code.prefix(300))\n".utf8))
        }
        if let e = result.error {
            outcome.diagnostics += 1
            if e.evalue.isEmpty || e.traceback.isEmpty { outcome.problems.append("empty diagnostic for \(code.prefix(200))") }
        } else if result.value != nil {
            outcome.values += 1
        } else {
            outcome.silent += 1
        }
    }
    return outcome
}

/// 100,000 cells in 20 seeded chunks, run on every core.
@Test("fuzz: generated and mutated cells end in a value or a diagnostic")
func fuzzAll() {
    let chunks = FuzzChunk.all
    let results = UnsafeMutableBufferPointer<FuzzOutcome>.allocate(capacity: chunks.count)
    results.initialize(repeating: FuzzOutcome())
    defer { results.deallocate() }
    DispatchQueue.concurrentPerform(iterations: chunks.count) { i in
        results[i] = fuzz(chunks[i])
    }
    for (chunk, outcome) in zip(chunks, results) {
        #expect(outcome.problems.isEmpty, "seed \(chunk.seed): \(outcome.problems.prefix(3))")
        #expect(outcome.values + outcome.diagnostics + outcome.silent == chunk.count)
        // Most fuzz input is broken: the run must actually produce diagnostics.
        #expect(outcome.diagnostics > chunk.count / 4, "seed \(chunk.seed)")
    }
    #expect(chunks.map(\.count).reduce(0, +) >= 100_000 || FuzzChunk.chunkSize != 5_000)
}
