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

    public init() {}
}
