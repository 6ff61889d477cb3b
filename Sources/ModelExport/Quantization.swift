import Foundation
import TrainingEngine

/// How an exported file stores its numbers (Model Maker's choices).
public enum Quantization: String, CaseIterable, Sendable {
    /// Float32 weights and activations.
    case none
    /// Weights in half precision, turned back into float32 when the model loads.
    case float16
    /// Full-integer: int8 weights (one scale per output channel) and int8
    /// activations, their ranges calibrated on sample pictures.
    case int8

    /// Parses the name a cell gives (`"float16"`, `"int8"`; `"none"` or `"float32"` for none).
    public init(name: String) throws {
        switch name.lowercased() {
        case "none", "float32", "": self = .none
        case "float16", "fp16": self = .float16
        case "int8": self = .int8
        default:
            throw ExportError("unknown quantization \"\(name)\": use \"float16\" (half-size weights) or \"int8\" "
                              + "(quarter size, integer arithmetic), or leave it out for float32")
        }
    }
}

/// The type of a quantized model's input or output tensor (Model Maker's
/// `inference_input_type` / `inference_output_type`).
public enum InferenceType: String, CaseIterable, Sendable {
    case float32, int8, uint8

    public init(name: String, role: String) throws {
        guard let t = InferenceType(rawValue: name.lowercased()) else {
            throw ExportError("\(role) must be \"float32\", \"int8\" or \"uint8\", not \"\(name)\"")
        }
        self = t
    }
}

/// An int8 tensor's scale and zero point: real = scale × (q − zeroPoint).
struct QuantParams: Equatable {
    var scale: Float
    var zeroPoint: Int

    /// Asymmetric int8 parameters covering [min, max] (and 0, which must be exact).
    init(min lo: Float, max hi: Float) {
        let (lo, hi) = (Swift.min(lo, 0), Swift.max(hi, 0))
        let range = hi - lo
        scale = range > 1e-12 ? range / 255 : 1 / 255
        let zero = (-128 - lo / scale).rounded()
        zeroPoint = Int(Swift.max(-128, Swift.min(127, zero)))
    }

    init(scale: Float, zeroPoint: Int) { (self.scale, self.zeroPoint) = (scale, zeroPoint) }

    /// TFLite's int8 softmax writes probabilities on a fixed grid of 1/256.
    static let probabilities = QuantParams(scale: 1 / 256, zeroPoint: -128)
}

/// The running minimum and maximum of every value of a graph over the
/// calibration pictures.
struct RangeObserver {
    var minimum: [Float]
    var maximum: [Float]
    /// For the values asked for: per-channel (last axis) sums and how many rows were summed.
    private var sums: [Int: [Double]] = [:]
    private var rows: [Int: Int] = [:]

    init(values: Int, channelMeansOf wanted: Set<Int> = []) {
        minimum = [Float](repeating: .infinity, count: values)
        maximum = [Float](repeating: -.infinity, count: values)
        for v in wanted { (sums[v], rows[v]) = ([], 0) }
    }

    mutating func observe(_ value: Int, _ t: Tensor) {
        let (lo, hi) = t.withUnsafeBufferPointer { extremes($0) }
        minimum[value] = min(minimum[value], lo)
        maximum[value] = max(maximum[value], hi)
        guard var total = sums[value], let c = t.shape.last, c > 0 else { return }
        let part = t.withUnsafeBufferPointer { channelSums($0, channels: c) }
        total = total.isEmpty ? part : zip(total, part).map { $0 + $1 }
        sums[value] = total
        rows[value, default: 0] += t.count / c
    }

    /// The mean of each channel of `value` over everything observed.
    func channelMeans(_ value: Int) -> [Float]? {
        guard let total = sums[value], let n = rows[value], n > 0 else { return nil }
        return total.map { Float($0 / Double(n)) }
    }
}

/// Int8 weights with one scale per output channel (symmetric: zero point 0,
/// values −127…127), laid out as the engine's weights (channel last).
struct Int8Weights {
    var values: [Int8]
    var scales: [Float]
    /// What rounding the weights adds to each output on average, taken off the bias.
    var biasCorrection: [Float] = []

    /// Quantizes `weight` per channel of its last axis, or with one scale for
    /// the whole tensor when `perChannel` is false. A channel's scale is raised
    /// if needed so that its int32 bias (scale `inputScale` × weight scale) fits.
    init(_ weight: Tensor, bias: Tensor, inputScale: Float, perChannel: Bool) {
        let c = weight.shape.last ?? 1
        let w = weight.scalars, b = bias.scalars
        var largest = [Float](repeating: 0, count: c)
        for (i, x) in w.enumerated() { largest[i % c] = max(largest[i % c], abs(x)) }
        if !perChannel { largest = [Float](repeating: largest.max() ?? 0, count: c) }
        let biasRoom = Float(Int32.max) * 0.5
        var scales = largest.map { max($0 / 127, 1e-12) }
        for k in 0..<c where b.indices.contains(k) {
            scales[k] = max(scales[k], abs(b[k]) / (inputScale * biasRoom))
        }
        if !perChannel { scales = [Float](repeating: scales.max() ?? 1e-12, count: c) }
        self.scales = scales
        values = w.enumerated().map { i, x in Int8(max(-127, min(127, (x / scales[i % c]).rounded()))) }
    }

    /// The int8 values as floats again (what integer arithmetic effectively multiplies by).
    func dequantized(shape: [Int]) throws -> Tensor {
        let c = scales.count
        return try Tensor(shape: shape) { i in Float(values[i]) * scales[i % c] }
    }

    /// Bias correction (Nagel et al., "Data-free quantization", 2019): rounding
    /// moves each output by Σ (q − w) · E[input] on average; with the mean of
    /// each input channel over the calibration pictures, the bias takes it back.
    /// `depthwise`: each output channel reads only its own input channel.
    mutating func correctBias(_ weight: Tensor, inputMeans: [Float], depthwise: Bool) {
        let shape = weight.shape
        guard let outputs = shape.last, shape.count >= 2 else { return }
        let inputs = depthwise ? outputs : shape[shape.count - 2]
        guard inputMeans.count == inputs else { return }
        var shift = [Double](repeating: 0, count: outputs)
        for (i, w) in weight.scalars.enumerated() {
            let o = i % outputs, channel = depthwise ? o : (i / outputs) % inputs
            shift[o] += Double(Float(values[i]) * scales[o] - w) * Double(inputMeans[channel])
        }
        biasCorrection = shift.map { Float($0) }
    }

    /// The bias in int32, scale `inputScale` × each channel's weight scale.
    func bias(_ bias: Tensor, inputScale: Float) -> (values: [Int32], scales: [Float]) {
        let scales = self.scales.map { inputScale * $0 }
        let corrected = biasCorrection.isEmpty ? bias.scalars : zip(bias.scalars, biasCorrection).map { $0 - $1 }
        let values = corrected.enumerated().map { k, x in
            Int32(max(-Float(Int32.max), min(Float(Int32.max), (x / scales[k]).rounded())))
        }
        return (values, scales)
    }
}

/// Float32 → IEEE half precision bits, rounding to nearest even (what
/// TFLite's float16 converter stores).
func halfBits(_ x: Float) -> UInt16 {
    let bits = x.bitPattern
    let sign = UInt16((bits >> 16) & 0x8000)
    let exponent = Int((bits >> 23) & 0xFF)
    var mantissa = bits & 0x7F_FFFF
    if exponent == 0xFF { return sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0) }
    var e = exponent - 127 + 15
    if e >= 0x1F { return sign | 0x7C00 }
    if e <= 0 {
        guard e >= -10 else { return sign }
        mantissa |= 0x80_0000
        let shift = UInt32(14 - e)
        var half = mantissa >> shift
        let rest = mantissa & ((1 << shift) - 1), halfway = UInt32(1) << (shift - 1)
        if rest > halfway || (rest == halfway && half & 1 == 1) { half += 1 }
        return sign | UInt16(half)
    }
    var half = mantissa >> 13
    let rest = mantissa & 0x1FFF
    if rest > 0x1000 || (rest == 0x1000 && half & 1 == 1) {
        half += 1
        if half == 0x400 { half = 0; e += 1 }
        if e >= 0x1F { return sign | 0x7C00 }
    }
    return sign | UInt16(e) << 10 | UInt16(half)
}

/// Half precision bits → Float32.
func floatFromHalf(_ h: UInt16) -> Float {
    let sign: Float = h & 0x8000 != 0 ? -1 : 1
    let exponent = Int((h >> 10) & 0x1F), mantissa = Float(h & 0x3FF)
    if exponent == 0 { return sign * mantissa * 0x1p-24 }
    if exponent == 31 { return mantissa == 0 ? sign * .infinity : .nan }
    return sign * (1 + mantissa / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
}

/// A tensor with every value rounded to half precision and back.
func roundedToHalf(_ t: Tensor) throws -> Tensor {
    try Tensor(shape: t.shape, scalars: t.scalars.map { floatFromHalf(halfBits($0)) })
}

// MARK: - Loops over activations (kept in this file so that they are optimised together)

func extremes(_ values: UnsafeBufferPointer<Float>) -> (Float, Float) {
    guard let base = values.baseAddress else { return (.infinity, -.infinity) }
    let n = values.count, wide = n / 8 * 8
    var lo8 = SIMD8<Float>(repeating: .infinity), hi8 = SIMD8<Float>(repeating: -.infinity)
    let raw = UnsafeRawPointer(base)
    var i = 0
    while i < wide {
        let v = raw.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
        lo8 = pointwiseMin(lo8, v)
        hi8 = pointwiseMax(hi8, v)
        i += 8
    }
    var lo = lo8.min(), hi = hi8.max()
    while i < n {
        lo = min(lo, base[i])
        hi = max(hi, base[i])
        i += 1
    }
    return (lo, hi)
}

/// The sum of each channel (last axis) over all rows.
func channelSums(_ values: UnsafeBufferPointer<Float>, channels c: Int) -> [Double] {
    var sums = [Double](repeating: 0, count: c)
    guard let base = values.baseAddress else { return sums }
    let rows = values.count / c
    var partial = [Float](repeating: 0, count: c)
    for start in stride(from: 0, to: rows, by: 256) {
        for j in 0..<c { partial[j] = 0 }
        for r in start..<min(rows, start + 256) {
            let row = base + r * c
            for j in 0..<c { partial[j] += row[j] }
        }
        for j in 0..<c { sums[j] += Double(partial[j]) }
    }
    return sums
}

/// Rounds every value to the int8 grid of `params` (clamped to −128…127) and
/// back to float: what the integer model holds at that point. Rounding is to
/// nearest even, by adding and taking away 1.5 × 2²³ (exact below 2²²).
func fakeQuantize(_ values: UnsafeMutableBufferPointer<Float>, _ params: QuantParams) {
    guard let base = values.baseAddress else { return }
    let inverse = 1 / params.scale, zero = Float(params.zeroPoint), scale = params.scale
    let lo = -128 - zero, hi = 127 - zero, magic: Float = 0x1.8p23
    let n = values.count, wide = n / 8 * 8
    let raw = UnsafeMutableRawPointer(base)
    var i = 0
    while i < wide {
        var v = raw.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self) * inverse
        v = pointwiseMax(pointwiseMin(v, SIMD8(repeating: hi)), SIMD8(repeating: lo))
        v = ((v + magic) - magic) * scale
        raw.storeBytes(of: v, toByteOffset: 4 * i, as: SIMD8<Float>.self)
        i += 8
    }
    while i < n {
        let v = min(max(base[i] * inverse, lo), hi)
        base[i] = ((v + magic) - magic) * scale
        i += 1
    }
}

/// Elements in a new order: axis k of the result is axis `order[k]` of `shape`.
func permute<T>(_ values: [T], shape: [Int], order: [Int]) -> [T] {
    let rank = shape.count
    var strides = [Int](repeating: 1, count: rank)
    for i in stride(from: rank - 2, through: 0, by: -1) { strides[i] = strides[i + 1] * shape[i + 1] }
    let outShape = order.map { shape[$0] }, outStrides = order.map { strides[$0] }
    var out: [T] = []
    out.reserveCapacity(values.count)
    var index = [Int](repeating: 0, count: rank)
    for _ in 0..<values.count {
        var source = 0
        for k in 0..<rank { source += index[k] * outStrides[k] }
        out.append(values[source])
        var k = rank - 1
        while k >= 0 {
            index[k] += 1
            if index[k] < outShape[k] { break }
            index[k] = 0
            k -= 1
        }
    }
    return out
}
