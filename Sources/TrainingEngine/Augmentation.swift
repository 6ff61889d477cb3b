import Foundation

/// Random changes applied to each training batch of NHWC images, drawn from a
/// seeded generator, so that the network sees a slightly different picture
/// every epoch. Each change has a strength; 0 leaves it out. Pictures are
/// scaled to [-1, 1] (a brightness of 0.1 is 5 % of the range).
public struct Augmentation: Equatable, Sendable {
    public var horizontalFlip = false
    public var verticalFlip = false
    /// Pad by this many pixels (edge values) and crop back at a random offset.
    public var cropPadding = 0
    /// Add a random brightness shift in [-brightness, brightness] per image.
    public var brightness: Float = 0
    /// Turn by a random angle in [-rotation, rotation] degrees about the centre.
    public var rotation: Float = 0
    /// Scale by a random factor in [1 − zoom, 1 + zoom] about the centre.
    public var zoom: Float = 0
    /// Keep a random square window whose side is between (1 − crop) and all
    /// of the picture's, stretched back to full size.
    public var crop: Float = 0
    /// Turn the hue by a random fraction in [-hue, hue] of the colour wheel.
    public var hue: Float = 0
    /// Multiply the saturation by a random factor in [1 − saturation, 1 + saturation].
    public var saturation: Float = 0
    /// Gaussian blur with a random standard deviation in [0, blur] pixels.
    public var blur: Float = 0

    public init(horizontalFlip: Bool = false, verticalFlip: Bool = false, cropPadding: Int = 0, brightness: Float = 0,
                rotation: Float = 0, zoom: Float = 0, crop: Float = 0, hue: Float = 0, saturation: Float = 0, blur: Float = 0) {
        (self.horizontalFlip, self.verticalFlip, self.cropPadding, self.brightness) =
            (horizontalFlip, verticalFlip, cropPadding, brightness)
        (self.rotation, self.zoom, self.crop, self.hue, self.saturation, self.blur) = (rotation, zoom, crop, hue, saturation, blur)
    }

    public var isIdentity: Bool {
        !horizontalFlip && !verticalFlip && cropPadding == 0 && brightness == 0 && !resamples && !changesColour && blur == 0
    }
    var resamples: Bool { rotation != 0 || zoom != 0 || crop != 0 }
    var changesColour: Bool { hue != 0 || saturation != 0 }

    /// Checks every strength against its range.
    public func validate() throws {
        func check(_ value: Float, _ range: ClosedRange<Float>, _ what: String) throws {
            guard value.isFinite, range.contains(value) else {
                throw InvalidArgument("\(what) must be between \(String(format: "%g", Double(range.lowerBound))) and \(String(format: "%g", Double(range.upperBound))), not \(value)")
            }
        }
        guard cropPadding >= 0 else { throw InvalidArgument("the shift must be 0 or more pixels, not \(cropPadding)") }
        try check(brightness, 0...1, "brightness")
        try check(rotation, 0...180, "rotation (degrees)")
        try check(zoom, 0...0.9, "zoom")
        try check(crop, 0...0.9, "crop")
        try check(hue, 0...0.5, "hue")
        try check(saturation, 0...1, "saturation")
        try check(blur, 0...10, "blur (pixels)")
    }

    /// What was drawn for one image.
    public struct Draw: Equatable, Sendable {
        public var flippedHorizontally = false, flippedVertically = false
        public var shift = (dx: 0, dy: 0)
        public var brightness: Float = 0
        /// Degrees, the scale factor, the crop window's side as a fraction and its centre in pixels.
        public var angle: Float = 0, zoom: Float = 1, cropSide: Float = 1, cropCentre: (x: Float, y: Float)? = nil
        /// Fraction of the colour wheel, and the saturation factor.
        public var hue: Float = 0, saturation: Float = 1
        /// The blur's standard deviation in pixels.
        public var blur: Float = 0

        public static func == (a: Draw, b: Draw) -> Bool {
            a.flippedHorizontally == b.flippedHorizontally && a.flippedVertically == b.flippedVertically
                && a.shift == b.shift && a.brightness == b.brightness && a.angle == b.angle && a.zoom == b.zoom
                && a.cropSide == b.cropSide && a.cropCentre?.x == b.cropCentre?.x && a.cropCentre?.y == b.cropCentre?.y
                && a.hue == b.hue && a.saturation == b.saturation && a.blur == b.blur
        }
    }

    /// The random choices for one `height × width` image, in a fixed order
    /// (the first four as before the other changes existed, so that older
    /// seeds give the same pictures).
    func draw(height h: Int, width w: Int, random: inout EngineRandom) -> Draw {
        var d = Draw()
        d.flippedHorizontally = horizontalFlip && random.unit() < 0.5
        d.flippedVertically = verticalFlip && random.unit() < 0.5
        let dy = cropPadding > 0 ? Int(random.next() % UInt64(2 * cropPadding + 1)) - cropPadding : 0
        let dx = cropPadding > 0 ? Int(random.next() % UInt64(2 * cropPadding + 1)) - cropPadding : 0
        d.shift = (dx, dy)
        d.brightness = brightness > 0 ? random.uniform(-brightness, brightness) : 0
        if rotation > 0 { d.angle = random.uniform(-rotation, rotation) }
        if zoom > 0 { d.zoom = random.uniform(1 - zoom, 1 + zoom) }
        if crop > 0 {
            d.cropSide = random.uniform(1 - crop, 1)
            let (halfW, halfH) = (d.cropSide * Float(w) / 2, d.cropSide * Float(h) / 2)
            d.cropCentre = (random.uniform(halfW, Float(w) - halfW), random.uniform(halfH, Float(h) - halfH))
        }
        if hue > 0 { d.hue = random.uniform(-hue, hue) }
        if saturation > 0 { d.saturation = random.uniform(1 - saturation, 1 + saturation) }
        if blur > 0 { d.blur = random.uniform(0, blur) }
        return d
    }

    public func apply(to batch: inout Tensor, random: inout EngineRandom) throws {
        _ = try applyRecording(to: &batch, random: &random)
    }

    /// Applies the changes and returns what was drawn for each image.
    public func applyRecording(to batch: inout Tensor, random: inout EngineRandom) throws -> [Draw] {
        guard !isIdentity else { return [] }
        try checkRank(batch.shape, 4, "augmentation", "images [batch, height, width, channels]")
        batch.makeUnique()
        let (n, h, w, c) = (batch.shape[0], batch.shape[1], batch.shape[2], batch.shape[3])
        // Drawn in order first, so that the result does not depend on the number of cores.
        let draws = (0..<n).map { _ in draw(height: h, width: w, random: &random) }
        let image = h * w * c
        let base = batch.pointer
        let workers = Engine.workers(n)
        let scratch = try Tensor(uninitialized: [workers, image])
        Engine.parallelFor(n, workers: workers) { worker, images in
            let s = scratch.pointer + worker * image
            for b in images { applyOne(draws[b], to: base + b * image, height: h, width: w, channels: c, scratch: s) }
        }
        return draws
    }

    func applyOne(_ d: Draw, to p: UnsafeMutablePointer<Float>, height h: Int, width w: Int, channels c: Int,
                  scratch s: UnsafeMutablePointer<Float>) {
        let image = h * w * c
        if d.angle != 0 || d.zoom != 1 || d.cropCentre != nil {
            s.update(from: p, count: image)
            resample(s, into: p, d, height: h, width: w, channels: c)
        }
        let (dx, dy) = d.shift
        if d.flippedHorizontally || d.flippedVertically || dy != 0 || dx != 0 {
            s.update(from: p, count: image)
            for y in 0..<h {
                var sy = min(max(y + dy, 0), h - 1)
                if d.flippedVertically { sy = h - 1 - sy }
                for x in 0..<w {
                    var sx = min(max(x + dx, 0), w - 1)
                    if d.flippedHorizontally { sx = w - 1 - sx }
                    (p + (y * w + x) * c).update(from: s + (sy * w + sx) * c, count: c)
                }
            }
        }
        if c == 3, d.hue != 0 || d.saturation != 1 { recolour(p, pixels: h * w, hue: d.hue, saturation: d.saturation) }
        if d.brightness != 0 { for i in 0..<image { p[i] += d.brightness } }
        if d.blur >= 0.3 { gaussianBlur(p, height: h, width: w, channels: c, sigma: d.blur, scratch: s) }
    }

    /// Output pixel centre u (from the picture's centre) reads the source at
    /// crop centre + R(angle)·u · side / zoom, bilinearly; beyond the edges the
    /// picture is mirrored (a turned or shrunk picture has no empty corners).
    func resample(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, _ d: Draw, height h: Int, width w: Int, channels c: Int) {
        let radians = d.angle * .pi / 180
        let factor = d.cropSide / d.zoom
        let (cosA, sinA) = (Foundation.cos(radians) * factor, Foundation.sin(radians) * factor)
        let centre = d.cropCentre ?? (Float(w) / 2, Float(h) / 2)
        let (halfW, halfH) = (Float(w) / 2, Float(h) / 2)
        for y in 0..<h {
            let uy = Float(y) + 0.5 - halfH
            for x in 0..<w {
                let ux = Float(x) + 0.5 - halfW
                let sx = mirrored(centre.x + cosA * ux - sinA * uy - 0.5, w)
                let sy = mirrored(centre.y + sinA * ux + cosA * uy - 0.5, h)
                let (x0, y0) = (Int(sx), Int(sy))
                let (x1, y1) = (min(x0 + 1, w - 1), min(y0 + 1, h - 1))
                let (fx, fy) = (sx - Float(x0), sy - Float(y0))
                let (a, b) = (src + (y0 * w + x0) * c, src + (y0 * w + x1) * c)
                let (e, f) = (src + (y1 * w + x0) * c, src + (y1 * w + x1) * c)
                let o = dst + (y * w + x) * c
                for k in 0..<c {
                    let top = a[k] + (b[k] - a[k]) * fx, bottom = e[k] + (f[k] - e[k]) * fx
                    o[k] = top + (bottom - top) * fy
                }
            }
        }
    }

    /// A coordinate folded back into [0, n − 1] as in a mirror.
    func mirrored(_ v: Float, _ n: Int) -> Float {
        guard n > 1 else { return 0 }
        let period = Float(2 * (n - 1))
        var t = v.truncatingRemainder(dividingBy: period)
        if t < 0 { t += period }
        return t > Float(n - 1) ? period - t : t
    }

    /// Turns the hue about the grey axis (Rodrigues' rotation) and scales the
    /// saturation towards or away from the pixel's luma; greys stay grey.
    func recolour(_ p: UnsafeMutablePointer<Float>, pixels: Int, hue: Float, saturation s: Float) {
        let phi = 2 * Float.pi * hue
        let (cosP, sinP, k) = (Foundation.cos(phi), Foundation.sin(phi), 1 / Float(3).squareRoot())
        // R = cos·I + sin·[k]× + (1 − cos)·k kᵀ with k = (1, 1, 1)/√3.
        let outer = (1 - cosP) / 3
        let r: [Float] = [cosP + outer, outer - sinP * k, outer + sinP * k,
                          outer + sinP * k, cosP + outer, outer - sinP * k,
                          outer - sinP * k, outer + sinP * k, cosP + outer]
        let luma: [Float] = [0.299, 0.587, 0.114]
        var m = [Float](repeating: 0, count: 9)
        for i in 0..<3 {
            for j in 0..<3 {
                // (s·I + (1 − s)·1 lumaᵀ) · R
                var v: Float = 0
                for t in 0..<3 { v += ((i == t ? s : 0) + (1 - s) * luma[t]) * r[t * 3 + j] }
                m[i * 3 + j] = v
            }
        }
        for q in 0..<pixels {
            let px = p + q * 3
            let (red, green, blue) = (px[0], px[1], px[2])
            px[0] = min(max(m[0] * red + m[1] * green + m[2] * blue, -1), 1)
            px[1] = min(max(m[3] * red + m[4] * green + m[5] * blue, -1), 1)
            px[2] = min(max(m[6] * red + m[7] * green + m[8] * blue, -1), 1)
        }
    }

    /// A separable Gaussian blur, edges repeated.
    func gaussianBlur(_ p: UnsafeMutablePointer<Float>, height h: Int, width w: Int, channels c: Int, sigma: Float,
                      scratch s: UnsafeMutablePointer<Float>) {
        let radius = max(1, Int((3 * sigma).rounded(.up)))
        var weights = (-radius...radius).map { Foundation.exp(-Float($0 * $0) / (2 * sigma * sigma)) }
        let total = weights.reduce(0, +)
        weights = weights.map { $0 / total }
        // Along rows into the scratch, then along columns back.
        func pass(_ from: UnsafePointer<Float>, _ to: UnsafeMutablePointer<Float>, alongRows: Bool) {
            for y in 0..<h {
                for x in 0..<w {
                    let o = to + (y * w + x) * c
                    for k in 0..<c { o[k] = 0 }
                    for (t, weight) in weights.enumerated() {
                        let (sx, sy) = alongRows ? (min(max(x + t - radius, 0), w - 1), y) : (x, min(max(y + t - radius, 0), h - 1))
                        let i = from + (sy * w + sx) * c
                        for k in 0..<c { o[k] += weight * i[k] }
                    }
                }
            }
        }
        pass(p, s, alongRows: true)
        pass(s, p, alongRows: false)
    }
}
