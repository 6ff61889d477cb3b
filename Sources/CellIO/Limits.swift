/// Bounds on what one cell may consume.
public struct Limits: Sendable {
    /// Deepest chain of function calls.
    public var maxCallDepth: Int = 2_000
    /// Loop iterations and calls allowed per cell (nil: unbounded).
    public var maxSteps: Int? = nil
    /// Wall-clock seconds per cell (nil: unbounded).
    public var maxSeconds: Double? = nil
    /// Largest array or string a single operation may build.
    public var maxCollectionCount: Int = 50_000_000
    /// Stream output a cell may show: lines and bytes (stdout and stderr
    /// together); the rest is counted and dropped (see `LimitedOutput`).
    public var maxOutputLines: Int = 10_000
    public var maxOutputBytes: Int = 5 << 20
    /// Displays a cell may show (updates in place not counted), and their bytes.
    public var maxDisplays: Int = 1_000
    public var maxDisplayBytes: Int = 50 << 20

    public init() {}
}
