import CCairo
import Foundation
import TrainingEngine

/// The parts of a fish drawn with Cairo around the painted body: fins,
/// eye, mouth, a shadow, and the hands that hold it.
struct FishParts {
    let k: Sketch
    let shape: FishShape
    let pose: FishPose

    func mapped(_ points: [FishShape.Point]) -> [(Double, Double)] { points.map { pose.map($0.x, $0.y) } }

    func fin(_ f: FishShape.Fin) {
        let outline = mapped(f.outline)
        k.fill(outline, f.colour, f.opacity)
        let px = pose.halfLength
        cairo_save(k.cr)
        k.path(outline)
        cairo_clip(k.cr)
        for (a, b) in f.rays {
            k.line(pose.map(a.x, a.y), pose.map(b.x, b.y), width: max(0.4, px * 0.008), f.colour.scaled(0.55), 0.55)
        }
        for (p, radius) in f.spots {
            let c = pose.map(p.x, p.y)
            k.disc(c.0, c.1, radius * px, RGB(0.06, 0.06, 0.05), 0.85)
        }
        cairo_restore(k.cr)
        if let edge = f.edge {
            k.path(outline)
            cairo_set_line_width(k.cr, max(0.6, px * 0.012))
            k.colour(edge, 0.8)
            cairo_stroke(k.cr)
        }
    }

    /// A soft shadow of the whole fish on the ground, towards the bottom right.
    func shadow(_ fins: [FishShape.Fin]) {
        let px = pose.halfLength
        for step in 1...3 {
            let o = px * 0.025 * Double(step)
            for part in [shape.outline] + fins.filter { !$0.overBody }.map(\.outline) {
                k.fill(mapped(part).map { ($0.0 + o, $0.1 + o * 1.3) }, RGB(0, 0, 0), 0.12)
            }
        }
    }

    func head(iris: RGB) {
        let f = shape.look, px = pose.halfLength
        let s = 0.905
        let (a, b) = shape.halfDepths(s)
        let centre = (b - a) / 2, half = (a + b) / 2
        let eye = pose.map(2 * s - 1, centre - 0.32 * half)
        let radius = f.eyeSize * px
        k.disc(eye.0, eye.1, radius * 1.25, f.back.scaled(0.6), 0.5)
        k.disc(eye.0, eye.1, radius, iris)
        k.disc(eye.0, eye.1, radius * 0.58, RGB(0.02, 0.02, 0.03))
        k.disc(eye.0 - radius * 0.3, eye.1 - radius * 0.3, radius * 0.22, RGB(1, 1, 1), 0.9)
        // The mouth: a line from the snout back and down, and the jaw's edge.
        let tip = pose.map(1.0, 0.03 + (b - a) / 2 * 0.2)
        let corner = pose.map(1 - 2 * f.mouthLength, (b - a) / 2 + 0.25 * half)
        let middle = pose.map(1 - f.mouthLength, (b - a) / 2 + 0.08 * half)
        k.polyline([tip, middle, corner], width: max(0.6, px * 0.014), RGB(0.08, 0.07, 0.06), 0.75)
        // A nostril.
        let nostril = pose.map(0.94, centre - 0.35 * half)
        k.disc(nostril.0, nostril.1, max(0.4, px * 0.007), RGB(0.05, 0.05, 0.05), 0.7)
    }

    struct Hold { var skin: RGB; var face: RGB; var sleeve: RGB; var front: Double; var reach: Double; var tail: Bool; var finger: Double }

    static func hold(_ r: inout EngineRandom) -> Hold {
        let skins = [RGB(0.93, 0.76, 0.64), RGB(0.85, 0.64, 0.50), RGB(0.67, 0.47, 0.34), RGB(0.45, 0.30, 0.22)]
        let face = skins[r.int(0, skins.count - 1)].jittered(0.08, &r)
        var skin = face
        if r.chance(0.1) { skin = [RGB(0.15, 0.17, 0.2), RGB(0.85, 0.5, 0.2)][r.int(0, 1)] }
        let sleeves = [RGB(0.12, 0.16, 0.30), RGB(0.62, 0.12, 0.10), RGB(0.20, 0.30, 0.18), RGB(0.35, 0.35, 0.36), RGB(0.55, 0.50, 0.35), RGB(0.85, 0.55, 0.1)]
        return Hold(skin: skin, face: face, sleeve: sleeves[r.int(0, sleeves.count - 1)].jittered(0.1, &r), front: r.double(0.05, 0.5),
                    reach: r.double(0.15, 0.45), tail: r.chance(0.75), finger: r.double(0.085, 0.115))
    }

    /// Palms and forearms, behind the fish: each arm comes up from an elbow
    /// low beside the angler's body to the hand under the fish.
    func handsBehind(_ h: Hold) {
        let px = pose.halfLength, S = k.size
        for (x, y) in handAnchors(h) {
            let palm = pose.map(x, y + 0.1)
            let outward: Double = palm.0 < pose.cx ? -1 : 1
            let elbow = (palm.0 + outward * S * 0.16, palm.1 + S * 0.5)
            let wrist = (palm.0 + (elbow.0 - palm.0) * 0.18, palm.1 + (elbow.1 - palm.1) * 0.18)
            k.line(wrist, elbow, width: S * 0.15, h.sleeve.scaled(0.8), round: true)
            k.line(wrist, elbow, width: S * 0.12, h.sleeve, round: true)
            k.line(palm, wrist, width: px * 0.3, h.skin, round: true)
        }
    }

    /// Fingers curled round the fish's belly from below, the back of the
    /// hand under them, and the thumb; a second hand round the tail.
    func fingers(_ h: Hold) {
        let f = h.finger
        var bases = [FishShape.Point]()
        for i in 0..<4 {
            let x = h.front + (Double(i) - 1.5) * f * 0.98
            let (a, b) = shape.halfDepths((x + 1) / 2)
            let length = (a + b) * h.reach * [0.8, 1, 0.95, 0.7][i]
            bases.append((x - 0.015, b + 0.07))
            finger(from: (x - 0.015, b + 0.07), to: (x + 0.035, b - length), width: f * [0.95, 1, 0.97, 0.85][i], h.skin)
        }
        backOfHand(bases, width: f, h.skin)
        let front = h.front + 2.2 * f
        let (_, bThumb) = shape.halfDepths((front + 1) / 2)
        finger(from: (front - 0.06, bThumb + 0.12), to: (front + 0.1, bThumb - 0.06), width: f * 1.1, h.skin)
        if h.tail {
            let (a, b) = shape.halfDepths(0.04)
            var tailBases = [FishShape.Point]()
            for i in 0..<3 {
                let x = -0.99 + Double(i) * f * 0.98
                tailBases.append((x, b + 0.07))
                finger(from: (x, b + 0.07), to: (x + 0.02, -a * 0.6), width: f * [1, 0.97, 0.85][i], h.skin)
            }
            backOfHand(tailBases, width: f, h.skin)
        }
    }

    /// The back of the hand below the belly, from the knuckles to the wrist.
    private func backOfHand(_ knuckles: [FishShape.Point], width f: Double, _ skin: RGB) {
        guard let first = knuckles.first, let last = knuckles.last else { return }
        let drop = 0.28
        let outline: [FishShape.Point] = [(first.x - f * 0.5, first.y), (last.x + f * 0.5, last.y),
                                         (last.x + f * 0.2, last.y + drop), (first.x + f * 0.1, first.y + drop * 1.1)]
        let points = outline.map { pose.map($0.x, $0.y) }
        k.smoothPath(points)
        k.colour(skin.scaled(0.92))
        cairo_fill(k.cr)
        for knuckle in knuckles {
            let p = pose.map(knuckle.x, knuckle.y + 0.04)
            k.blob(p.0, p.1, f * pose.halfLength * 0.5, skin.mixed(with: RGB(1, 1, 1), 0.2), 0.5)
        }
    }

    private func handAnchors(_ h: Hold) -> [(Double, Double)] {
        let (_, b) = shape.halfDepths((h.front + 1) / 2)
        var anchors = [(h.front, b)]
        if h.tail { anchors.append((-0.93, shape.halfDepths(0.05).below)) }
        return anchors
    }

    /// One finger: tapered, rounded at the tip, shaded across its width,
    /// with creases at its joints and a nail.
    private func finger(from a: FishShape.Point, to b: FishShape.Point, width: Double, _ skin: RGB) {
        let px = pose.halfLength
        let p0 = pose.map(a.x, a.y), p1 = pose.map(b.x, b.y)
        let length = max(1e-6, ((p1.0 - p0.0) * (p1.0 - p0.0) + (p1.1 - p0.1) * (p1.1 - p0.1)).squareRoot())
        let d = ((p1.0 - p0.0) / length, (p1.1 - p0.1) / length), n = (-d.1, d.0)
        let w0 = width * px / 2, w1 = width * px * 0.4
        func at(_ t: Double, _ side: Double, _ bulge: Double = 1) -> (Double, Double) {
            let w = (w0 + (w1 - w0) * t) * bulge
            return (p0.0 + (p1.0 - p0.0) * t + n.0 * w * side, p0.1 + (p1.1 - p0.1) * t + n.1 * w * side)
        }
        let ts: [(Double, Double)] = [(0, 1), (0.35, 1.06), (0.5, 0.98), (0.68, 1.05), (0.85, 1)]
        var outline = ts.map { at($0.0, 1, $0.1) }
        let tipCentre = (p1.0 - d.0 * w1, p1.1 - d.1 * w1)
        for i in 0...6 {
            let angle = Double(i) / 6 * .pi
            let c = cos(angle), s = sin(angle)
            outline.append((tipCentre.0 + (n.0 * c + d.0 * s) * w1, tipCentre.1 + (n.1 * c + d.1 * s) * w1))
        }
        outline += ts.reversed().map { at($0.0, -1, $0.1) }
        k.path(outline)
        let mid = (p0.0 + (p1.0 - p0.0) * 0.4, p0.1 + (p1.1 - p0.1) * 0.4)
        if let g = cairo_pattern_create_linear(mid.0 - n.0 * w0, mid.1 - n.1 * w0, mid.0 + n.0 * w0, mid.1 + n.1 * w0) {
            cairo_pattern_add_color_stop_rgb(g, 0, skin.r * 0.62, skin.g * 0.6, skin.b * 0.6)
            cairo_pattern_add_color_stop_rgb(g, 0.55, min(1, skin.r * 1.08), min(1, skin.g * 1.06), min(1, skin.b * 1.05))
            cairo_pattern_add_color_stop_rgb(g, 1, skin.r * 0.78, skin.g * 0.76, skin.b * 0.76)
            cairo_set_source(k.cr, g)
            cairo_fill_preserve(k.cr)
            cairo_pattern_destroy(g)
        }
        cairo_set_line_width(k.cr, max(0.4, px * 0.006))
        k.colour(skin.scaled(0.45), 0.6)
        cairo_stroke(k.cr)
        for t in [0.36, 0.68] {
            k.line(at(t, -0.55), at(t, 0.55), width: max(0.3, px * 0.005), skin.scaled(0.55), 0.6)
        }
        let nailCentre = (p1.0 - d.0 * w1 * 1.6, p1.1 - d.1 * w1 * 1.6)
        k.disc(nailCentre.0, nailCentre.1, w1 * 0.62, skin.mixed(with: RGB(1, 0.88, 0.85), 0.45), 0.85)
    }
}
