import Dispatch
import Foundation
import Synchronization
import Testing
@testable import TrainingEngine

/// The engine's helper threads (`WorkerPool`) run every part of every
/// parallel section exactly once, whoever starts it: thousands of short
/// sections in a row (helpers asleep between some of them), sections started
/// inside a section, and sections started from several threads at once (the
/// ones that find the pool busy go to Dispatch). A lost wake-up or a section
/// waiting for itself would hang these tests.
@Suite("engine worker pool")
struct WorkerPoolTests {
    /// Runs a section over `count` items and returns how many times each was visited.
    static func visits(_ count: Int, workers: Int) -> [Int] {
        let seen = UnsafeMutablePointer<Int>.allocate(capacity: count)
        defer { seen.deallocate() }
        seen.initialize(repeating: 0, count: count)
        Engine.parallelFor(count, workers: workers) { _, range in
            for i in range { seen[i] += 1 }
        }
        return Array(UnsafeBufferPointer(start: seen, count: count))
    }

    @Test func everyPartRunsOnceInShortSectionsAndAfterSleeping() throws {
        let workers = max(2, Engine.threads)
        for round in 0..<3_000 {
            let count = 1 + round % 37
            #expect(Self.visits(count, workers: min(workers, count)).allSatisfy { $0 == 1 }, "section \(round)")
            // Now and then long enough for the helpers to fall asleep (100 µs).
            if round % 500 == 0 { usleep(2_000) }
        }
    }

    @Test func sectionsInsideSectionsAndFromSeveralThreads() throws {
        let total = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<300 {
                Engine.parallelFor(8, workers: 2) { _, outer in
                    for _ in outer {
                        // A section started from inside one: it must not wait for the pool it is part of.
                        Engine.parallelFor(5, workers: 2) { _, inner in total.add(inner.count, ordering: .relaxed) }
                    }
                }
            }
        }
        #expect(total.load(ordering: .relaxed) == 4 * 300 * 8 * 5)
    }
}
