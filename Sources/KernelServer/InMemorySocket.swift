import Foundation

/// One end of an in-memory socket pair, for testing the kernel without
/// ZeroMQ. Messages sent on one end are received on the other, in order.
public final class InMemorySocket: MessageSocket, @unchecked Sendable {
    private final class Queue: @unchecked Sendable {
        let condition = NSCondition()
        var messages: [[[UInt8]]] = []
    }

    private let inbox: Queue
    private let outbox: Queue

    private init(inbox: Queue, outbox: Queue) {
        self.inbox = inbox
        self.outbox = outbox
    }

    /// Two connected ends: (kernel side, client side).
    public static func pair() -> (InMemorySocket, InMemorySocket) {
        let a = Queue(), b = Queue()
        return (InMemorySocket(inbox: a, outbox: b), InMemorySocket(inbox: b, outbox: a))
    }

    public func send(_ frames: [[UInt8]]) throws {
        outbox.condition.lock()
        outbox.messages.append(frames)
        outbox.condition.signal()
        outbox.condition.unlock()
    }

    public func receive(timeout: Double) throws -> [[UInt8]]? {
        let deadline = Date().addingTimeInterval(timeout)
        inbox.condition.lock()
        defer { inbox.condition.unlock() }
        while inbox.messages.isEmpty {
            if !inbox.condition.wait(until: deadline) { return nil }
        }
        return inbox.messages.removeFirst()
    }
}
