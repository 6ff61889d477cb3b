public enum OutputStreamName: String, Sendable {
    case stdout, stderr
}

/// Where a running cell sends what it shows. The kernel publishes it on
/// iopub (`IOPubOutput`), `shoal exec` prints it (`TerminalSink`), tests and
/// headless runs keep it (`RecordingSink`) or drop it (`NullSink`).
public protocol OutputSink: AnyObject {
    func write(_ text: String, to stream: OutputStreamName)
    /// Shows a display; with `id`, later calls with `update: true` replace it in place.
    func display(_ display: Display, id: String?, update: Bool)
    func clearOutput(wait: Bool)
    /// Asks the front end for a line of input; nil when input is not allowed.
    func readLine(prompt: String) -> String?
    /// Shows text in the front end's pager (Jupyter's `page` payload).
    func page(_ text: String)
    /// Whether displays can be replaced in place (notebooks) or only appended (terminals).
    var showsLiveDisplays: Bool { get }
    /// Sends a comm message (a widget's state) to the front end; sinks
    /// without a front end that keeps widgets drop it.
    func comm(_ message: CommMessage)
}

extension OutputSink {
    public func page(_ text: String) { write(text + "\n", to: .stdout) }
    public var showsLiveDisplays: Bool { true }
    public func comm(_ message: CommMessage) {}
}

/// Drops everything: between cells, for silent evaluations, and in headless
/// runs, where nothing a cell prints may change a result. Live displays are
/// off, so nothing is drawn for nobody.
public final class NullSink: OutputSink {
    public init() {}
    public func write(_ text: String, to stream: OutputStreamName) {}
    public func display(_ display: Display, id: String?, update: Bool) {}
    public func clearOutput(wait: Bool) {}
    public func readLine(prompt: String) -> String? { nil }
    public func page(_ text: String) {}
    public var showsLiveDisplays: Bool { false }
}

/// A sink that keeps everything, for tests.
public final class RecordingSink: OutputSink {
    public enum Event: Equatable {
        case stream(OutputStreamName, String)
        case display(Display, id: String?, update: Bool)
        case clear(wait: Bool)
        case comm(CommMessage)
    }
    public private(set) var events: [Event] = []
    public var inputs: [String]?

    public init(inputs: [String]? = nil) { self.inputs = inputs }

    public func write(_ text: String, to stream: OutputStreamName) {
        if case .stream(let s, let old)? = events.last, s == stream {
            events[events.count - 1] = .stream(s, old + text)
        } else {
            events.append(.stream(stream, text))
        }
    }
    public func display(_ display: Display, id: String?, update: Bool) {
        events.append(.display(display, id: id, update: update))
    }
    public func clearOutput(wait: Bool) { events.append(.clear(wait: wait)) }
    public func comm(_ message: CommMessage) { events.append(.comm(message)) }
    public func readLine(prompt: String) -> String? {
        guard var queue = inputs, !queue.isEmpty else { return nil }
        let line = queue.removeFirst()
        inputs = queue
        return line
    }

    public var stdout: String {
        events.compactMap { if case .stream(.stdout, let t) = $0 { return t } else { return nil } }.joined()
    }
    public var stderr: String {
        events.compactMap { if case .stream(.stderr, let t) = $0 { return t } else { return nil } }.joined()
    }
    public func reset() { events = [] }
}
