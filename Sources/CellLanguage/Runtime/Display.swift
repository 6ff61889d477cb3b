/// A MIME bundle: what Jupyter shows for a value (`text/plain` always present).
public struct Display: Equatable, Sendable {
    /// MIME type → content (binary types such as `image/png` are base64).
    public var data: [String: String]
    /// MIME type → metadata such as `width` and `height` for images.
    public var metadata: [String: [String: Int]]

    public init(data: [String: String], metadata: [String: [String: Int]] = [:]) {
        self.data = data
        self.metadata = metadata
    }

    public static func text(_ s: String) -> Display { Display(data: ["text/plain": s]) }

    public var plainText: String { data["text/plain"] ?? "" }
}

public enum OutputStreamName: String, Sendable {
    case stdout, stderr
}

/// Where a running cell sends what it shows. The kernel publishes these on
/// iopub; `shoal exec` prints them; grading records them.
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
}

extension OutputSink {
    public func page(_ text: String) { write(text + "\n", to: .stdout) }
    public var showsLiveDisplays: Bool { true }
}

/// A sink that keeps everything, for tests and headless runs.
public final class RecordingSink: OutputSink {
    public enum Event: Equatable {
        case stream(OutputStreamName, String)
        case display(Display, id: String?, update: Bool)
        case clear(wait: Bool)
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
