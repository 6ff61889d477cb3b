import Foundation

/// Smooth value noise in [0, 1] along one axis, from a seed.
@inline(__always) func valueNoise(_ x: Double, _ seed: UInt64) -> Double {
    let i = Int(floor(x)), t = x - floor(x)
    let a = lattice(i, 0, seed), b = lattice(i + 1, 0, seed)
    let u = t * t * (3 - 2 * t)
    return a + (b - a) * u
}

/// Smooth value noise in [0, 1] over the plane, from a seed.
@inline(__always) func valueNoise(_ x: Double, _ y: Double, _ seed: UInt64) -> Double {
    let i = Int(floor(x)), j = Int(floor(y))
    let tx = x - floor(x), ty = y - floor(y)
    let ux = tx * tx * (3 - 2 * tx), uy = ty * ty * (3 - 2 * ty)
    let a = lattice(i, j, seed), b = lattice(i + 1, j, seed), c = lattice(i, j + 1, seed), d = lattice(i + 1, j + 1, seed)
    return (a + (b - a) * ux) + ((c + (d - c) * ux) - (a + (b - a) * ux)) * uy
}

@inline(__always) func lattice(_ i: Int, _ j: Int, _ seed: UInt64) -> Double {
    var h = seed ^ (UInt64(bitPattern: Int64(i)) &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(bitPattern: Int64(j)) &* 0xC2B2_AE3D_27D4_EB4F)
    h = (h ^ (h >> 30)) &* 0xBF58_476D_1CE4_E5B9
    h = (h ^ (h >> 27)) &* 0x94D0_49BB_1331_11EB
    h ^= h >> 31
    return Double(h >> 11) * 0x1p-53
}

/// Paints a fish's body pixel by pixel: countershaded pigment (dark back,
/// pale belly), the species' markings, scales, lateral line and gill cover,
/// lit as a rounded, wet body.
struct BodyPainter {
    let look: FishLook
    let shape: FishShape
    let pose: FishPose
    /// Spots in the fish's own coordinates.
    private let spots: [(x: Double, y: Double, r: Double, colour: RGB, halo: Double)]
    private let up: Double

    init(look: FishLook, shape: FishShape, pose: FishPose) {
        (self.look, self.shape, self.pose) = (look, shape, pose)
        spots = look.spots.map { spot in
            let (a, b) = shape.halfDepths(spot.s)
            let centre = (b - a) / 2, half = (a + b) / 2
            return (2 * spot.s - 1, centre + spot.v * half, spot.r, spot.colour, spot.halo)
        }
        up = pose.uprightness
    }

    /// The body's colour at a point of the fish's own coordinates.
    @inline(__always) func colour(_ x: Double, _ y: Double) -> RGB {
        let f = look
        let s = (x + 1) / 2
        let (a, b) = shape.halfDepths(s)
        let centre = (b - a) / 2, half = max((a + b) / 2, 1e-6)
        let v = min(1, max(-1, (y - centre) / half))
        let head = smoothstep(0.74, 0.8, s)

        var c = f.back.mixed(with: f.flank, smoothstep(f.backLine - 0.3, f.backLine + 0.35, v))
        c = c.mixed(with: f.belly, smoothstep(f.bellyLine - 0.2, f.bellyLine + 0.3, v))
        c = c.scaled(1 + 0.14 * (valueNoise(x * 7, y * 7, f.noiseSeed) - 0.5))

        if !f.bars.isEmpty {
            var k = 0.0
            let depthDown = (v + 1) / 2
            for (i, bar) in f.bars.enumerated() {
                let centreS = bar.s - 0.02 * depthDown + 0.012 * (valueNoise(v * 3 + Double(i) * 5.3, f.noiseSeed) - 0.5)
                let width = bar.width * (1.3 - 0.6 * depthDown)
                let along = 1 - smoothstep(width * 0.55, width * 1.1, abs(s - centreS))
                let down = 1 - smoothstep(bar.reach - 0.12, bar.reach + 0.04, depthDown)
                k = max(k, along * down)
            }
            c = c.mixed(with: f.markingColour, k * f.markingStrength * 0.85 * (1 - head))
        }
        if !f.stripes.isEmpty {
            var k = 0.0
            for (i, stripe) in f.stripes.enumerated() {
                let on = 1 - smoothstep(stripe.width * 0.5, stripe.width * 1.15, abs(v - stripe.v))
                if on <= 0 { continue }
                let gap = smoothstep(f.stripeBreaks - 0.06, f.stripeBreaks + 0.06, valueNoise(s * 16 + Double(i) * 3.7, f.noiseSeed))
                k = max(k, on * gap * (1 - 0.35 * max(0, stripe.v)))
            }
            c = c.mixed(with: f.markingColour, k * f.markingStrength * 0.85 * smoothstep(0.02, 0.12, s) * (1 - head))
        }
        if let band = f.band {
            let k = f.bandStrength * exp(-pow((v + 0.02) / 0.26, 2)) * smoothstep(0.03, 0.15, s) * (0.8 + 0.2 * head)
            c = c.mixed(with: band, k)
        }
        for spot in spots {
            let dx = x - spot.x, dy = y - spot.y
            let reach = spot.r * 1.8
            if dx > reach || dx < -reach || dy > reach || dy < -reach { continue }
            let d = (dx * dx + dy * dy).squareRoot()
            if spot.halo > 0 {
                let ring = smoothstep(spot.r * 0.9, spot.r * 1.15, d) * (1 - smoothstep(spot.r * 1.35, spot.r * 1.75, d))
                c = c.mixed(with: RGB(0.93, 0.88, 0.74), ring * spot.halo * 0.7)
            }
            c = c.mixed(with: spot.colour, (1 - smoothstep(spot.r * 0.7, spot.r * 1.05, d)) * f.markingStrength)
        }

        // Scales: a net of diagonal rows, each scale lighter at its front and
        // darker at its free back edge; none on the head.
        if head < 1 {
            let k = f.scaleRows / 2 * 0.75
            let p = (x + y * 1.1) * k, q = (x - y * 1.1) * k
            let fp = p - floor(p), fq = q - floor(q)
            let edge = smoothstep(0.3, 0.5, max(abs(fp - 0.5), abs(fq - 0.5)))
            let front = (fp + fq) / 2          // 0 at a scale's back (towards the tail), 1 at its front
            c = c.scaled(1 - f.scaleContrast * 1.2 * (1 - head) * (edge * 0.8 + (0.5 - front) * 0.4))
            do {   // each scale catches a little light
                let glint = exp(-((fp - 0.6) * (fp - 0.6) + (fq - 0.6) * (fq - 0.6)) / 0.02) * f.gloss
                c = c.mixed(with: RGB(1, 1, 1), glint * 0.35 * (1 - head))
            }
        }
        // Lateral line: along the upper third of the side.
        let line = -0.38 + 0.22 * (1 - s) * (1 - s)
        let onLine = (1 - smoothstep(0.015, 0.035, abs(v - line))) * smoothstep(0.03, 0.1, s) * (1 - head)
        c = c.mixed(with: c.scaled(f.species == .stripedBass ? 0.6 : 1.25), onLine * 0.5)
        // Gill cover: a curved edge, a little darker in front of it.
        let gill = 0.77 + 0.035 * v * v
        if s > gill - 0.02 {
            let edge = 1 - smoothstep(0.0, 0.008, abs(s - gill))
            c = c.scaled(1 - 0.35 * edge)
            if s > gill { c = c.scaled(0.94) }
        }

        // Light: a rounded body, darker at its edges, a little light from the
        // sky on its back when it is upright, and a wet highlight along the side.
        let nz = max(0, 1 - v * v * 0.93).squareRoot()
        let shade = 0.22 + 0.9 * pow(nz, 0.7) + 0.12 * up * (-v) * nz
        c = c.scaled(shade)
        let highlightAt = -0.3 - 0.15 * up
        let spec = f.gloss * exp(-pow((v - highlightAt) / 0.17, 2)) * smoothstep(0.05, 0.25, s)
            * (0.55 + 0.45 * valueNoise(x * 9, f.noiseSeed &+ 7))
        return RGB(c.r + spec * (1 - c.r), c.g + spec * (1 - c.g), c.b + spec * (1 - c.b))
    }

    /// Paints the body into 32-bit xRGB pixels where `coverage` (an 8-bit
    /// mask of the body's outline) is above zero, blending by coverage.
    func paint(pixels: UnsafeMutablePointer<UInt32>, pixelStride: Int, coverage: UnsafePointer<UInt8>, coverageStride: Int,
               size: Int, box: (x0: Int, y0: Int, x1: Int, y1: Int)) {
        guard box.x0 <= box.x1, box.y0 <= box.y1 else { return }
        for py in box.y0...box.y1 {
            let row = pixels + py * pixelStride, cov = coverage + py * coverageStride
            for px in box.x0...box.x1 {
                let alpha = Double(cov[px]) / 255
                if alpha <= 0 { continue }
                let (x, y) = pose.unmap(Double(px) + 0.5, Double(py) + 0.5)
                let c = colour(x, y)
                let old = row[px]
                let r0 = Double((old >> 16) & 0xFF), g0 = Double((old >> 8) & 0xFF), b0 = Double(old & 0xFF)
                let r = r0 + (clamp01(c.r) * 255 - r0) * alpha
                let g = g0 + (clamp01(c.g) * 255 - g0) * alpha
                let b = b0 + (clamp01(c.b) * 255 - b0) * alpha
                row[px] = (UInt32(r.rounded()) << 16) | (UInt32(g.rounded()) << 8) | UInt32(b.rounded())
            }
        }
    }
}
