/// One message of Jupyter's comm protocol, the channel widgets talk over:
/// opening a comm (to a target), a message on it, or closing it. The kernel
/// carries it on iopub (from the kernel) or receives it on shell (from the
/// front end); the cell side never sees sockets.
public struct CommMessage: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case open(target: String)
        case message
        case close
    }

    public var kind: Kind
    public var commID: String
    /// The `data` object as JSON text.
    public var data: String
    /// The `metadata` object as JSON text (`{"version": "2.1.0"}` on a widget's open).
    public var metadata: String
    /// Binary buffers sent after the message's frames.
    public var buffers: [[UInt8]]

    public init(_ kind: Kind, commID: String, data: String = "{}", metadata: String = "{}", buffers: [[UInt8]] = []) {
        self.kind = kind
        self.commID = commID
        self.data = data
        self.metadata = metadata
        self.buffers = buffers
    }
}

/// What the receiving side did with a comm message from the front end.
public enum CommOutcome: Equatable, Sendable {
    case handled
    /// A comm_open to a target nobody serves: the kernel closes the comm.
    case unknownTarget
    /// A message that could not be handled (malformed, or for a comm that is
    /// not open), with the reason; the kernel publishes it as an error.
    case failed(String)
}
