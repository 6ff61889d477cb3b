/// The two stacks compiled code runs on: registers and activation records.
/// Their storage and growth live here; the operations the dispatch loop
/// runs on every call (take, extend, release, push, pop) live beside it in
/// `Machine.swift`, because the optimiser inlines only within a file.

/// The registers of running compiled functions: a stack of Values in
/// segments that never move, so a register's address stays valid while its
/// function runs. Every register holds an initialised value (`.void` when free).
final class RegisterStack {
    static let segmentSize = 1 << 14
    /// Each segment, with how far into it registers have been used since the last `clear`.
    var segments: [(base: UnsafeMutablePointer<Value>, size: Int, used: Int)] = []
    var segment = -1
    /// The current segment; before the first `take`, a placeholder (`limit` is 0).
    let placeholder: UnsafeMutablePointer<Value>
    var current: UnsafeMutablePointer<Value>
    var top = 0
    var limit = 0
    /// The current segment's use, kept here rather than in `segments` while it is current.
    var used = 0

    init() {
        placeholder = .allocate(capacity: 1)
        current = placeholder
    }

    deinit {
        placeholder.deallocate()
        for s in segments {
            s.base.deinitialize(count: s.size)
            s.base.deallocate()
        }
    }

    /// Where the stack stood before a `take`, to give back to `release`.
    struct Mark {
        let segment: Int
        let top: Int
    }

    /// Empties every register used since the last clear, so that values the
    /// finished calls left behind are freed. Only while nothing is taken.
    func clear() {
        guard segment <= 0 && top == 0 else { return }
        if segment >= 0 { segments[segment].used = used }
        for s in segments.indices {
            let base = segments[s].base
            for i in 0..<segments[s].used {
                if case .int = base[i] { continue }
                base[i] = .void
            }
            segments[s].used = 0
        }
        used = 0
    }

    func switchTo(_ s: Int) {
        if segment >= 0 { segments[segment].used = used }
        segment = s
        if s >= 0 {
            current = segments[s].base
            limit = segments[s].size
            used = segments[s].used
        } else {
            current = placeholder
            limit = 0
            used = 0
        }
    }

    func moveToNextSegment(fitting count: Int) {
        let next = segment + 1
        if next < segments.count, segments[next].size < count {
            segments[next].base.deinitialize(count: segments[next].size)
            segments[next].base.deallocate()
            segments[next] = RegisterStack.makeSegment(count)
        } else if next == segments.count {
            segments.append(RegisterStack.makeSegment(max(RegisterStack.segmentSize, count)))
        }
        switchTo(next)
        top = 0
    }

    static func makeSegment(_ size: Int) -> (base: UnsafeMutablePointer<Value>, size: Int, used: Int) {
        let base = UnsafeMutablePointer<Value>.allocate(capacity: size)
        base.initialize(repeating: .void, count: size)
        return (base, size, 0)
    }
}

/// The compiled functions running in `Machine.run` loops: a stack of plain
/// records that grows by doubling. The bottom record of each loop is its
/// entry's, pushed by `run` itself.
final class ActivationStack {
    var records: UnsafeMutablePointer<Machine.Activation>
    var capacity = 64
    var count = 0

    init() { records = .allocate(capacity: capacity) }

    deinit {
        records.deinitialize(count: count)
        records.deallocate()
    }

    func grow() {
        let bigger = UnsafeMutablePointer<Machine.Activation>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: records, count: count)
        records.deallocate()
        records = bigger
        capacity *= 2
    }
}
