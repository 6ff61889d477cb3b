import CZeroMQ
import Foundation

/// A ZeroMQ failure, with zmq's own explanation.
public struct ZMQError: Error, CustomStringConvertible {
    public let code: Int32
    public let operation: String
    public var description: String { "\(operation): \(String(cString: zmq_strerror(code)))" }

    static func last(_ operation: String) -> ZMQError { ZMQError(code: zmq_errno(), operation: operation) }
}

/// One ZeroMQ context per kernel process.
public final class ZMQContext: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer

    public init() throws {
        guard let h = zmq_ctx_new() else { throw ZMQError.last("zmq_ctx_new") }
        handle = h
    }

    deinit { zmq_ctx_term(handle) }
}

/// What the kernel needs from a socket: multipart send and timed receive.
public protocol MessageSocket: AnyObject, Sendable {
    func send(_ frames: [[UInt8]]) throws
    /// Waits up to `timeout` seconds for a message; nil when none arrived.
    func receive(timeout: Double) throws -> [[UInt8]]?
}

/// A ZeroMQ socket sending and receiving multipart messages. Calls
/// interrupted by signals (EINTR) are retried.
public final class ZMQSocket: MessageSocket, @unchecked Sendable {
    public enum Kind {
        case router, pub, rep, dealer, sub, req

        var raw: Int32 {
            switch self {
            case .router: return ZMQ_ROUTER
            case .pub: return ZMQ_PUB
            case .rep: return ZMQ_REP
            case .dealer: return ZMQ_DEALER
            case .sub: return ZMQ_SUB
            case .req: return ZMQ_REQ
            }
        }
    }

    let handle: UnsafeMutableRawPointer
    let context: ZMQContext

    public init(_ context: ZMQContext, _ kind: Kind) throws {
        guard let h = zmq_socket(context.handle, kind.raw) else { throw ZMQError.last("zmq_socket") }
        handle = h
        self.context = context
        var linger: Int32 = 0
        zmq_setsockopt(h, ZMQ_LINGER, &linger, MemoryLayout<Int32>.size)
        if kind == .pub {
            // A PUB socket silently drops what its high-water mark (1,000
            // messages by default) does not hold, and it counts a message as
            // held until its I/O thread reports it sent; on a busy machine a
            // cell's 1,000 displays lost some. Output is already bounded by
            // the cell's limits (batched text, 1,000 displays, coalesced
            // updates), so iopub queues without a mark and loses nothing.
            var unlimited: Int32 = 0
            zmq_setsockopt(h, ZMQ_SNDHWM, &unlimited, MemoryLayout<Int32>.size)
        }
    }

    /// The high-water mark for sending, in messages (0: none).
    public var sendHighWaterMark: Int32 {
        var value: Int32 = -1
        var size = MemoryLayout<Int32>.size
        zmq_getsockopt(handle, ZMQ_SNDHWM, &value, &size)
        return value
    }

    deinit { zmq_close(handle) }

    public func bind(_ endpoint: String) throws {
        if zmq_bind(handle, endpoint) != 0 { throw ZMQError.last("bind \(endpoint)") }
    }

    public func connect(_ endpoint: String) throws {
        if zmq_connect(handle, endpoint) != 0 { throw ZMQError.last("connect \(endpoint)") }
    }

    public func subscribeAll() {
        zmq_setsockopt(handle, ZMQ_SUBSCRIBE, "", 0)
    }

    /// Sends all frames as one multipart message.
    public func send(_ frames: [[UInt8]]) throws {
        for (i, frame) in frames.enumerated() {
            let flags: Int32 = i < frames.count - 1 ? ZMQ_SNDMORE : 0
            while true {
                let rc = frame.withUnsafeBytes { zmq_send(handle, $0.baseAddress, frame.count, flags) }
                if rc >= 0 { break }
                if zmq_errno() == EINTR { continue }
                throw ZMQError.last("zmq_send")
            }
        }
    }

    /// Waits up to `timeout` seconds for a message; nil when none arrived.
    public func receive(timeout: Double) throws -> [[UInt8]]? {
        var item = zmq_pollitem_t(socket: handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
        let rc = zmq_poll(&item, 1, Int(timeout * 1000))
        if rc < 0 {
            if zmq_errno() == EINTR { return nil }
            throw ZMQError.last("zmq_poll")
        }
        if rc == 0 { return nil }
        return try receive()
    }

    /// Receives one multipart message, blocking.
    public func receive() throws -> [[UInt8]] {
        var frames: [[UInt8]] = []
        while true {
            var msg = zmq_msg_t()
            zmq_msg_init(&msg)
            defer { zmq_msg_close(&msg) }
            var rc: Int32
            repeat { rc = zmq_msg_recv(&msg, handle, 0) } while rc < 0 && zmq_errno() == EINTR
            if rc < 0 { throw ZMQError.last("zmq_msg_recv") }
            let size = zmq_msg_size(&msg)
            let data = zmq_msg_data(&msg)
            frames.append(size == 0 ? [] : Array(UnsafeRawBufferPointer(start: data, count: size)))
            if zmq_msg_more(&msg) == 0 { break }
        }
        return frames
    }
}
