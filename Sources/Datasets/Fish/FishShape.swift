import Foundation

/// A fish's outline and fins in its own coordinates: x from -1 (the tail's
/// base) to 1 (the snout), y towards the belly, both in half-lengths.
struct FishShape {
    typealias Point = (x: Double, y: Double)

    /// One fin: its outline, the rays drawn across it, its colour and
    /// whether it lies over the body (pectoral, near pelvic) or behind it.
    struct Fin {
        var outline: [Point]
        var rays: [(Point, Point)]
        var colour: RGB
        var opacity: Double
        var overBody = false
        var spots: [(Point, Double)] = []
        var edge: RGB? = nil
    }

    let look: FishLook
    /// Half-depths above and below the axis at `samples + 1` points of s.
    private let above: [Double], below: [Double]
    private static let samples = 256

    init(_ look: FishLook) {
        self.look = look
        var above = [Double](), below = [Double]()
        for i in 0...Self.samples {
            let s = Double(i) / Double(Self.samples)
            let d = Self.depth(look, s)
            let hump = 1 + look.hump * exp(-pow((s - 0.68) / 0.15, 2))
            above.append(d * 1.04 * hump)
            below.append(d * 0.96)
        }
        (self.above, self.below) = (above, below)
    }

    private static func depth(_ f: FishLook, _ s: Double) -> Double {
        let m = f.deepestAt, p = f.peduncle
        if s < m { return f.depth * (p + (1 - p) * (0.5 - 0.5 * cos(.pi * s / m))) }
        let t = (s - m) / (1 - m)
        // A snout with a little height left at its tip, so the mouth has somewhere to be.
        return f.depth * (0.1 + 0.9 * pow(max(0, 1 - t * t), f.snoutPoint))
    }

    /// Half-depths above and below the axis at s (clamped to the body).
    @inline(__always) func halfDepths(_ s: Double) -> (above: Double, below: Double) {
        let p = min(1, max(0, s)) * Double(Self.samples)
        let i = min(Int(p), Self.samples - 1), t = p - Double(i)
        return (above[i] + (above[i + 1] - above[i]) * t, below[i] + (below[i + 1] - below[i]) * t)
    }

    func top(_ s: Double) -> Point { (2 * s - 1, -halfDepths(s).above) }
    func bottom(_ s: Double) -> Point { (2 * s - 1, halfDepths(s).below) }

    /// The body's outline: the back from tail to snout, the belly back again.
    var outline: [Point] {
        let n = 72
        let back = (0...n).map { top(Double($0) / Double(n)) }
        let belly = (0...n).reversed().map { bottom(Double($0) / Double(n)) }
        return back + [(1.005, 0.02)] + belly
    }

    /// A fin standing on the back or the belly between s0 (front) and s1
    /// (back), `height` tall at its front and `rear` × height at its back, its
    /// rays leaning towards the tail; `spiny` gives a notched edge.
    func edgeFin(from s0: Double, to s1: Double, height: Double, rear: Double, onBack: Bool, lean: Double = 0.55,
                 spiny: Bool = false, rounded: Bool = false, colour: RGB, opacity: Double) -> Fin {
        let sign = onBack ? -1.0 : 1.0
        let n = spiny ? 14 : 14
        var base = [Point](), tips = [Point]()
        for i in 0...n {
            let t = Double(i) / Double(n)
            let s = s0 + (s1 - s0) * t
            let b = onBack ? top(s) : bottom(s)
            // Inset the base a little into the body so no seam shows.
            let root = (b.x, b.y - sign * 0.015)
            var h = height * (1 + (rear - 1) * t)
            if rounded { h *= 0.35 + 0.65 * sin(.pi * min(1, t * 1.1 + 0.05)) }
            if spiny && i % 2 == 1 { h *= 0.72 }
            base.append(root)
            tips.append((b.x - lean * h, b.y + sign * h))
        }
        let rays = (0...n).filter { !spiny || $0 % 2 == 0 }.map { (base[$0], tips[$0]) }
        return Fin(outline: base + tips.reversed(), rays: rays, colour: colour, opacity: opacity)
    }

    /// Every fin, behind-the-body ones first.
    func fins() -> [Fin] {
        let f = look, d = f.depth
        var fins = [Fin]()
        // The tail: from the base of the tail to two lobes, with a fork between.
        let (a, b) = halfDepths(0)
        let span = d * (0.95 + 0.3 * f.tailFork)
        let length = f.tailLength
        var tail = [Point]()
        tail.append((-0.96, -a * 0.92))
        tail.append((-1 - length * 0.55, -span * 0.8))
        tail.append((-1 - length, -span))
        let notch = -1 - length * (1 - f.tailFork) - 0.02
        for i in 1..<8 {
            let t = Double(i) / 8
            let y = -span + 2 * span * t
            let bow = 1 - pow(abs(2 * t - 1), f.tailFork > 0.25 ? 0.9 : 2)
            tail.append((-1 - length + (length * f.tailFork + 0.02) * bow - 0.02 * (1 - bow) * (f.tailFork < 0.1 ? 1 : 0), y))
        }
        _ = notch
        tail.append((-1 - length, span))
        tail.append((-1 - length * 0.55, span * 0.8))
        tail.append((-0.96, b * 0.92))
        let trailing = Array(tail[2...10])
        let rays = (0..<16).map { j -> (Point, Point) in
            let t = Double(j) / 15, at = t * Double(trailing.count - 1)
            let i = min(Int(at), trailing.count - 2), u = at - Double(i)
            let end = (trailing[i].x + (trailing[i + 1].x - trailing[i].x) * u, trailing[i].y + (trailing[i + 1].y - trailing[i].y) * u)
            return ((-0.97, (-a + 2 * a * t) * 0.8), end)
        }
        var caudal = Fin(outline: tail, rays: rays, colour: f.tail, opacity: f.finOpacity)
        if f.finSpots { caudal.spots = spotsInside(tail, count: 14, radius: 0.012) }
        fins.append(caudal)

        switch f.dorsal {
        case .touching:       // perch: a spiny dorsal with a dark spot at its back, the soft one right after
            var spiny = edgeFin(from: 0.7, to: 0.44, height: d * 0.95, rear: 0.35, onBack: true, lean: 0.3, spiny: true,
                                colour: f.fins, opacity: f.finOpacity)
            spiny.spots = [((2 * 0.46 - 1 - 0.04, -halfDepths(0.46).above - d * 0.18), 0.022)]
            fins.append(spiny)
            fins.append(edgeFin(from: 0.43, to: 0.24, height: d * 0.6, rear: 0.5, onBack: true, rounded: true,
                                colour: f.fins, opacity: f.finOpacity))
        case .separate:       // striped bass: two dorsals with a gap between
            fins.append(edgeFin(from: 0.66, to: 0.49, height: d * 1.0, rear: 0.3, onBack: true, lean: 0.35, spiny: true,
                                colour: f.fins, opacity: f.finOpacity))
            fins.append(edgeFin(from: 0.4, to: 0.23, height: d * 0.75, rear: 0.35, onBack: true,
                                colour: f.fins, opacity: f.finOpacity))
        case .singleWithAdipose:   // trout: one dorsal and the small fleshy adipose fin near the tail
            var dorsal = edgeFin(from: 0.6, to: 0.45, height: d * 0.8, rear: 0.45, onBack: true, colour: f.fins, opacity: f.finOpacity)
            if f.finSpots { dorsal.spots = spotsInside(dorsal.outline, count: 8, radius: 0.01) }
            fins.append(dorsal)
            var adipose = edgeFin(from: 0.2, to: 0.13, height: d * 0.28, rear: 0.6, onBack: true, lean: 0.9, rounded: true,
                                  colour: f.back.mixed(with: f.fins, 0.5), opacity: 0.95)
            adipose.rays = []
            if f.spots.contains(where: { $0.halo > 0.6 }) { adipose.edge = RGB(0.85, 0.4, 0.15) }
            fins.append(adipose)
        }
        // Anal fin and the far pelvic fin, behind the body.
        let anal = f.dorsal == .singleWithAdipose ? (0.3, 0.2) : (0.33, 0.19)
        fins.append(edgeFin(from: anal.0, to: anal.1, height: d * 0.6, rear: 0.45, onBack: false, lean: 0.6,
                            spiny: f.dorsal != .singleWithAdipose, colour: f.lowerFins, opacity: f.finOpacity))
        let pelvic = f.species == .perch ? (0.7, 0.64) : (0.58, 0.52)
        fins.append(edgeFin(from: pelvic.0, to: pelvic.1, height: d * 0.65, rear: 0.5, onBack: false, lean: 1.1,
                            colour: f.lowerFins.scaled(0.85), opacity: f.finOpacity))
        // Over the body: the near pelvic fin and the pectoral fin behind the gill cover.
        var near = edgeFin(from: pelvic.0 - 0.01, to: pelvic.1 - 0.015, height: d * 0.6, rear: 0.5, onBack: false, lean: 1.2,
                           colour: f.lowerFins, opacity: f.finOpacity * 0.9)
        near.overBody = true
        fins.append(near)
        fins.append(pectoral())
        return fins
    }

    private func pectoral() -> Fin {
        let f = look, d = f.depth
        let s = 0.74, root = (x: 2 * s - 1, y: halfDepths(s).below * 0.35)
        let length = d * 1.1, spread = 0.5
        var outline: [Point] = [(root.x, root.y - d * 0.06)]
        var rays = [(Point, Point)]()
        for i in 0...8 {
            let a = .pi - 0.25 + spread * (Double(i) / 8 - 0.5) * 2 * 0.5
            let l = length * (0.8 + 0.2 * sin(.pi * Double(i) / 8))
            let tip = (root.x + l * cos(a), root.y + l * sin(a) * 0.6 + d * 0.05)
            outline.append(tip)
            rays.append(((root.x, root.y), tip))
        }
        outline.append((root.x, root.y + d * 0.06))
        var fin = Fin(outline: outline, rays: rays, colour: f.lowerFins.mixed(with: f.flank, 0.4), opacity: 0.55)
        fin.overBody = true
        return fin
    }

    /// Points inside a polygon, picked on a fixed lattice (no randomness, so
    /// the look's seed alone decides the fish).
    private func spotsInside(_ polygon: [Point], count: Int, radius: Double) -> [(Point, Double)] {
        let xs = polygon.map(\.x), ys = polygon.map(\.y)
        guard let x0 = xs.min(), let x1 = xs.max(), let y0 = ys.min(), let y1 = ys.max() else { return [] }
        var out = [(Point, Double)]()
        var h = look.noiseSeed
        for _ in 0..<(count * 4) where out.count < count {
            h = h &* 6364136223846793005 &+ 1442695040888963407
            let u = Double(h >> 40) / Double(1 << 24)
            h = h &* 6364136223846793005 &+ 1442695040888963407
            let v = Double(h >> 40) / Double(1 << 24)
            let p = (x0 + (x1 - x0) * u, y0 + (y1 - y0) * v)
            if Self.contains(polygon, p) { out.append((p, radius * (0.7 + 0.6 * u))) }
        }
        return out
    }

    static func contains(_ polygon: [Point], _ p: Point) -> Bool {
        var inside = false
        var j = polygon.count - 1
        for i in polygon.indices {
            let (a, b) = (polygon[i], polygon[j])
            if (a.y > p.y) != (b.y > p.y), p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x { inside.toggle() }
            j = i
        }
        return inside
    }
}

/// Where a fish lies in the picture: its centre and half-length in pixels,
/// its angle, which way it faces and how much its body bends.
struct FishPose {
    let cx: Double, cy: Double, halfLength: Double
    let angle: Double
    let facing: Double   // 1: snout to the right when angle is 0; -1: to the left
    let bend: Double
    private let c: Double, s: Double

    init(cx: Double, cy: Double, halfLength: Double, angle: Double, facing: Double, bend: Double) {
        (self.cx, self.cy, self.halfLength, self.angle, self.facing, self.bend) = (cx, cy, halfLength, angle, facing, bend)
        (c, s) = (cos(angle), sin(angle))
    }

    @inline(__always) func map(_ x: Double, _ y: Double) -> (Double, Double) {
        let lx = facing * x * halfLength, ly = (y + bend * x * x) * halfLength
        return (cx + c * lx - s * ly, cy + s * lx + c * ly)
    }

    /// The fish's own coordinates of a picture point.
    @inline(__always) func unmap(_ px: Double, _ py: Double) -> (Double, Double) {
        let dx = px - cx, dy = py - cy
        let lx = c * dx + s * dy, ly = -s * dx + c * dy
        let x = facing * lx / halfLength
        return (x, ly / halfLength - bend * x * x)
    }

    /// How much the fish's back points up in the picture (1 upright, -1 belly up).
    var uprightness: Double { c }
}
