/// What a front end shows for a value or a chart: a MIME bundle, with
/// `text/plain` always present. The kernel publishes it as Jupyter's `data`
/// and `metadata`, `shoal exec` prints its text, the renderer makes them.
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
