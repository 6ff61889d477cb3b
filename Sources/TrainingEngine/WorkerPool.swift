import Dispatch
import Foundation
import Synchronization

/// The engine's helper threads for `Engine.parallelFor`: one per core beyond
/// the caller's, each waiting for the next parallel section by watching a
/// counter for a short while (about 100 µs) before it sleeps. One picture
/// through EfficientNet-Lite0 is some sixty sections of a few dozen
/// microseconds; woken through Dispatch for each, the other core spent about
/// a third of the time in the scheduler.
///
/// One section at a time: a section started while another runs (from inside
/// one, or from a second thread) goes to Dispatch instead, so nothing waits
/// for itself. No wake-up is lost: a helper says it is going to sleep, then
/// looks at the counter once more; the caller moves the counter, then wakes
/// every helper that said so (both in one sequentially consistent order).
final class WorkerPool: @unchecked Sendable {
    /// Created on the first parallel section: a kernel that never trains starts no thread.
    static let shared = WorkerPool(helpers: max(0, ProcessInfo.processInfo.activeProcessorCount - 1))

    private final class Helper: @unchecked Sendable {
        let sleeping = Atomic<Bool>(false)
        let wake = DispatchSemaphore(value: 0)
    }

    let helperCount: Int
    private let helpers: [Helper]
    /// Moved by one for each section; helpers run a section when it moves.
    private let generation = Atomic<Int>(0)
    /// Helpers not yet done with the current section.
    private let pending = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    /// The current section: helper i runs `section(i + 1)` when `i + 1 < sectionWorkers`.
    /// Written before `generation` moves, read after (release and acquire).
    private var section: ((Int) -> Void)?
    private var sectionWorkers = 0

    private init(helpers count: Int) {
        helperCount = count
        helpers = (0..<count).map { _ in Helper() }
        for index in 0..<count {
            let thread = Thread { [self] in run(index) }
            thread.name = "shoal-engine-\(index + 1)"
            thread.start()
        }
    }

    /// Runs `body(w)` for w in 0..<workers, w = 0 on this thread, and returns
    /// when all are done; false (nothing run) when a section is already
    /// running or there are not enough helpers.
    func run(workers: Int, _ body: (Int) -> Void) -> Bool {
        guard workers - 1 <= helperCount, busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else { return false }
        withoutActuallyEscaping(body) { body in
            section = body
            sectionWorkers = workers
            pending.store(helperCount, ordering: .relaxed)
            generation.add(1, ordering: .sequentiallyConsistent)
            for helper in helpers where helper.sleeping.exchange(false, ordering: .sequentiallyConsistent) {
                helper.wake.signal()
            }
            body(0)
            // The helpers' parts take about as long as this one's: spin, and
            // give the core away now and then if one of them was not running.
            var spins = 0
            while pending.load(ordering: .acquiring) > 0 {
                spins += 1
                if spins & 1023 == 0 { sched_yield() }
            }
            section = nil
        }
        busy.store(false, ordering: .releasing)
        return true
    }

    private func run(_ index: Int) {
        let helper = helpers[index]
        // Sections count from 0: one posted before this thread first looked is still run.
        var seen = 0
        while true {
            var current = generation.load(ordering: .acquiring)
            var deadline: UInt64 = 0
            var spins = 0
            while current == seen {
                spins += 1
                if spins & 255 == 0 {
                    let now = DispatchTime.now().uptimeNanoseconds
                    if deadline == 0 { deadline = now + 100_000 }
                    if now > deadline {
                        helper.sleeping.store(true, ordering: .sequentiallyConsistent)
                        if generation.load(ordering: .sequentiallyConsistent) == seen { helper.wake.wait() }
                        helper.sleeping.store(false, ordering: .sequentiallyConsistent)
                        (deadline, spins) = (0, 0)
                    }
                }
                current = generation.load(ordering: .acquiring)
            }
            seen = current
            if index + 1 < sectionWorkers, let section { section(index + 1) }
            pending.subtract(1, ordering: .releasing)
        }
    }
}
