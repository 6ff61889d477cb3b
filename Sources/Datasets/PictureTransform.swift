/// The eight ways a picture can be mirrored or turned a quarter at a time
/// (the symmetries of a square). `apply` makes the transformed picture; the
/// leak finder names the one that relates two look-alikes.
public enum PictureTransform: Int, CaseIterable, Sendable {
    case none, horizontalFlip, verticalFlip, halfTurn, quarterTurnRight, quarterTurnLeft, diagonalFlip, antidiagonalFlip

    /// How a learner reads it in a table: "vertical flip", "quarter turn right", …
    public var name: String {
        switch self {
        case .none: return "same orientation"
        case .horizontalFlip: return "horizontal flip"
        case .verticalFlip: return "vertical flip"
        case .halfTurn: return "half turn"
        case .quarterTurnRight: return "quarter turn right"
        case .quarterTurnLeft: return "quarter turn left"
        case .diagonalFlip: return "diagonal flip"
        case .antidiagonalFlip: return "anti-diagonal flip"
        }
    }

    /// The transform that undoes this one (a quarter turn right undoes a quarter turn left; the rest undo themselves).
    public var inverse: PictureTransform {
        switch self {
        case .quarterTurnRight: return .quarterTurnLeft
        case .quarterTurnLeft: return .quarterTurnRight
        default: return self
        }
    }

    /// Whether the transform swaps width and height.
    public var swapsSides: Bool { rawValue >= PictureTransform.quarterTurnRight.rawValue }

    /// Where output pixel (x, y) of a `w` × `h` picture's transform comes from.
    func source(_ x: Int, _ y: Int, _ w: Int, _ h: Int) -> (Int, Int) {
        switch self {
        case .none: return (x, y)
        case .horizontalFlip: return (w - 1 - x, y)
        case .verticalFlip: return (x, h - 1 - y)
        case .halfTurn: return (w - 1 - x, h - 1 - y)
        case .quarterTurnRight: return (y, h - 1 - x)
        case .quarterTurnLeft: return (w - 1 - y, x)
        case .diagonalFlip: return (y, x)
        case .antidiagonalFlip: return (w - 1 - y, h - 1 - x)
        }
    }

    /// The transformed picture (a quarter turn of a 640 × 480 picture is 480 × 640).
    public func apply(to image: RGBImage) -> RGBImage {
        guard self != .none else { return image }
        let (w, h) = (image.width, image.height)
        let (ow, oh) = swapsSides ? (h, w) : (w, h)
        var out = [UInt8](repeating: 0, count: image.pixels.count)
        image.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<oh {
                    for x in 0..<ow {
                        let (sx, sy) = source(x, y, w, h)
                        let s = (sy * w + sx) * 3, d = (y * ow + x) * 3
                        dst[d] = src[s]; dst[d + 1] = src[s + 1]; dst[d + 2] = src[s + 2]
                    }
                }
            }
        }
        return (try? RGBImage(width: ow, height: oh, pixels: out)) ?? image
    }
}
