import CCairo
import Foundation
import TrainingEngine

/// Where a fish is photographed, as in anglers' and surveyors' pictures.
public enum FishScene: String, CaseIterable, Sendable {
    /// Held in the hands, in front of water, a boat or trees.
    case hand
    /// Laid on a measuring board with a printed tape.
    case board
    case grass, deck, rocks
    /// In shallow water, seen through its surface.
    case water
}

/// The backgrounds, drawn with Cairo in picture pixels.
enum Scenepainter {
    static func grass(_ k: Sketch, _ r: inout EngineRandom) {
        let S = k.size
        let dry = r.chance(0.2)
        let base = (dry ? RGB(0.55, 0.50, 0.30) : RGB(0.24, 0.40, 0.14)).jittered(0.08, &r).scaled(r.double(0.75, 1.2))
        k.paint(base)
        for _ in 0..<30 {
            k.blob(r.double(0, S), r.double(0, S), S * r.double(0.05, 0.22), base.scaled(r.double(0.55, 1.35)), 0.35)
        }
        let blades = min(2600, Int(650 * (S / 224) * (S / 224)))
        let lean = r.double(-.pi, .pi)
        for _ in 0..<blades {
            let x = r.double(-0.05 * S, 1.05 * S), y = r.double(-0.05 * S, 1.05 * S)
            let a = lean + 0.6 * Double(r.normal()), l = S * r.double(0.03, 0.09)
            let tone = r.double(0.55, 1.45)
            let c = (r.chance(0.15) ? RGB(0.75, 0.72, 0.45) : base).scaled(tone)
            k.line((x, y), (x + l * cos(a), y + l * sin(a)), width: S * r.double(0.003, 0.008), c, 0.75, round: true)
        }
    }

    static func deck(_ k: Sketch, _ r: inout EngineRandom) {
        let S = k.size
        let bases = [RGB(0.56, 0.38, 0.22), RGB(0.56, 0.54, 0.50), RGB(0.86, 0.86, 0.82), RGB(0.42, 0.46, 0.50), RGB(0.70, 0.55, 0.35)]
        let base = bases[r.int(0, bases.count - 1)].jittered(0.05, &r)
        k.paint(base)
        cairo_save(k.cr)
        cairo_translate(k.cr, S / 2, S / 2)
        cairo_rotate(k.cr, r.double(0, .pi))
        let w = S * r.double(0.14, 0.28)
        var y = -S
        while y < S {
            let plank = base.scaled(r.double(0.88, 1.1))
            k.fill([(-S, y), (S, y), (S, y + w), (-S, y + w)], plank)
            for _ in 0..<6 {
                let gy = y + r.double(0.1, 0.9) * w, phase = r.double(0, 6), amp = w * r.double(0.02, 0.12)
                let points = stride(from: -S, through: S, by: S / 24).map { x in (x, gy + amp * sin(x / S * 9 + phase)) }
                k.polyline(points, width: S * r.double(0.002, 0.005), plank.scaled(r.double(0.6, 0.85)), 0.5)
            }
            for _ in 0..<2 where r.chance(0.4) {
                k.blob(r.double(-S, S), y + r.double(0.2, 0.8) * w, w * r.double(0.08, 0.18), plank.scaled(0.55), 0.8)
            }
            for _ in 0..<Int(40 * S / 224) {
                k.disc(r.double(-S, S), y + r.double(0, 1) * w, S * r.double(0.002, 0.01), plank.scaled(r.double(0.75, 1.2)), 0.35)
            }
            k.line((-S, y), (S, y), width: S * r.double(0.004, 0.008), base.scaled(0.35), r.double(0.5, 0.85))
            y += w
        }
        cairo_restore(k.cr)
    }

    /// River stones, packed: rounded, shaded, speckled, dark in the gaps.
    static func rocks(_ k: Sketch, _ r: inout EngineRandom) {
        let S = k.size
        let palette = [RGB(0.52, 0.51, 0.48), RGB(0.55, 0.47, 0.37), RGB(0.45, 0.44, 0.42), RGB(0.62, 0.58, 0.5)]
        let base = palette[r.int(0, palette.count - 1)]
        k.paint(base.scaled(0.35))
        let wet = r.chance(0.3)
        let count = r.int(40, 70)
        for _ in 0..<count {
            let cx = r.double(-0.1, 1.1) * S, cy = r.double(-0.1, 1.1) * S, radius = S * r.double(0.05, 0.14)
            let stone = base.mixed(with: palette[r.int(0, palette.count - 1)], r.double(0, 0.7)).scaled(r.double(0.7, 1.3))
            let tilt = r.double(0, .pi), squash = r.double(0.6, 0.95)
            let points = (0..<8).map { i -> (Double, Double) in
                let a = 2 * .pi * Double(i) / 8, l = radius * r.double(0.85, 1.12)
                let (x, y) = (l * cos(a), l * sin(a) * squash)
                return (cx + x * cos(tilt) - y * sin(tilt), cy + x * sin(tilt) + y * cos(tilt))
            }
            k.smoothPath(points.map { ($0.0 + S * 0.01, $0.1 + S * 0.012) })
            k.colour(RGB(0, 0, 0), 0.35)
            cairo_fill(k.cr)
            k.smoothPath(points)
            cairo_save(k.cr)
            cairo_clip_preserve(k.cr)
            k.colour(stone)
            cairo_fill(k.cr)
            k.blob(cx - radius * 0.35, cy - radius * 0.4, radius * 0.9, stone.mixed(with: RGB(1, 1, 1), wet ? 0.5 : 0.25), wet ? 0.7 : 0.5)
            k.blob(cx + radius * 0.5, cy + radius * 0.5, radius * 0.9, stone.scaled(0.45), 0.45)
            for _ in 0..<14 {
                k.disc(cx + r.double(-0.9, 0.9) * radius, cy + r.double(-0.9, 0.9) * radius, S * r.double(0.002, 0.006),
                       stone.scaled(r.double(0.55, 1.45)), 0.55)
            }
            cairo_restore(k.cr)
        }
    }

    static func water(_ k: Sketch, _ r: inout EngineRandom) {
        let S = k.size
        let waters = [RGB(0.18, 0.30, 0.25), RGB(0.14, 0.27, 0.38), RGB(0.30, 0.27, 0.17), RGB(0.22, 0.34, 0.36)]
        let w = waters[r.int(0, waters.count - 1)].jittered(0.06, &r).scaled(r.double(0.8, 1.2))
        k.gradient((0, 0), (0, S), w.mixed(with: RGB(0.7, 0.8, 0.85), 0.25), w.scaled(0.7))
        ripples(k, &r, alpha: 1)
    }

    static func ripples(_ k: Sketch, _ r: inout EngineRandom, alpha: Double) {
        let S = k.size
        for _ in 0..<40 {
            let y0 = r.double(0, S), amp = S * r.double(0.003, 0.015), f = r.double(8, 30), phase = r.double(0, 6)
            let x0 = r.double(-0.3, 0.7) * S, length = S * r.double(0.2, 0.8)
            let points = stride(from: x0, through: x0 + length, by: S / 40).map { x in (x, y0 + amp * sin(x / S * f + phase)) }
            let light = r.chance(0.65)
            k.polyline(points, width: S * r.double(0.003, 0.012), light ? RGB(0.85, 0.9, 0.95) : RGB(0.05, 0.08, 0.1),
                       alpha * r.double(0.12, 0.35))
        }
    }

    /// Behind a fish held up for the camera: sky, a tree line, water or a
    /// boat, and the angler's jacket (blurred afterwards).
    static func outdoors(_ k: Sketch, _ r: inout EngineRandom) {
        let S = k.size
        let horizon = r.double(0.02, 0.3) * S
        k.gradient((0, 0), (0, horizon), RGB(0.62, 0.74, 0.9).jittered(0.06, &r), RGB(0.85, 0.88, 0.9))
        switch r.int(0, 2) {
        case 0: // water below the horizon
            cairo_rectangle(k.cr, 0, horizon, S, S)
            cairo_clip(k.cr)
            water(k, &r)
            cairo_reset_clip(k.cr)
        case 1: // a boat's side and deck
            cairo_rectangle(k.cr, 0, horizon, S, S)
            cairo_clip(k.cr)
            deck(k, &r)
            cairo_reset_clip(k.cr)
        default:
            cairo_rectangle(k.cr, 0, horizon, S, S)
            cairo_clip(k.cr)
            grass(k, &r)
            cairo_reset_clip(k.cr)
        }
        // A tree line on the horizon.
        let trees = RGB(0.12, 0.25, 0.12).jittered(0.1, &r)
        for _ in 0..<20 {
            k.blob(r.double(0, S), horizon - r.double(0, 0.08) * S, S * r.double(0.05, 0.12), trees.scaled(r.double(0.7, 1.3)), 0.9)
        }
    }

    /// The angler behind the fish: shoulders and a jacket, a head above,
    /// centred near the fish (blurred with the background afterwards).
    static func angler(_ k: Sketch, _ r: inout EngineRandom, centre: (Double, Double), jacket: RGB, skin: RGB) {
        let S = k.size
        let cx = centre.0 + r.double(-0.12, 0.12) * S
        let shoulders = centre.1 - r.double(0.12, 0.3) * S, width = S * r.double(0.75, 1.15)
        let torso = [(cx - width / 2, S * 1.3), (cx - width / 2, shoulders + 0.14 * S), (cx - width * 0.36, shoulders),
                     (cx - 0.08 * S, shoulders - 0.03 * S), (cx + 0.08 * S, shoulders - 0.03 * S), (cx + width * 0.36, shoulders),
                     (cx + width / 2, shoulders + 0.14 * S), (cx + width / 2, S * 1.3)]
        k.smoothPath(torso)
        k.colour(jacket)
        cairo_fill(k.cr)
        k.blob(cx - width * 0.2, shoulders + 0.15 * S, width * 0.4, jacket.mixed(with: RGB(1, 1, 1), 0.2), 0.5)
        k.line((cx, shoulders), (cx, S * 1.2), width: S * 0.01, jacket.scaled(0.5), 0.7)
        let head = (cx + r.double(-0.03, 0.03) * S, shoulders - 0.16 * S)
        k.disc(head.0, head.1 + 0.02 * S, 0.105 * S, skin)
        k.blob(head.0 - 0.03 * S, head.1, 0.08 * S, skin.mixed(with: RGB(1, 1, 1), 0.2), 0.5)
        if r.chance(0.6) {   // a cap
            let cap = [RGB(0.1, 0.1, 0.12), RGB(0.5, 0.45, 0.3), RGB(0.7, 0.1, 0.1), RGB(0.15, 0.3, 0.2)][r.int(0, 3)]
            k.fill((0...8).map { i in
                let a = .pi + .pi * Double(i) / 8
                return (head.0 + 0.11 * S * cos(a), head.1 - 0.01 * S + 0.1 * S * sin(a))
            }, cap)
            k.fill([(head.0 - 0.02 * S, head.1 - 0.02 * S), (head.0 + 0.17 * S, head.1 - 0.01 * S), (head.0 + 0.16 * S, head.1 + 0.01 * S),
                    (head.0 - 0.02 * S, head.1)], cap.scaled(0.8))
        }
    }

    /// A measuring board under the fish, lined up with it: a plastic or
    /// wooden board, a tape in centimetres counted from the stop at the
    /// snout, and the stop itself. The survey's board (`survey`) is four to
    /// six times as wide as the fish is deep, so that it fills most of the
    /// picture, and is printed with a grid of 5 cm squares.
    static func board(_ k: Sketch, _ r: inout EngineRandom, shape: FishShape, pose: FishPose, survey: Bool = false) {
        let flat = FishPose(cx: pose.cx, cy: pose.cy, halfLength: pose.halfLength, angle: pose.angle, facing: pose.facing, bend: 0)
        let d = shape.look.depth
        let (least, most) = survey ? (4.0, 6.0) : (1.1, 1.45)
        let above = d * r.double(least, most), below = d * r.double(least, most)
        let tailEnd = -1 - shape.look.tailLength - r.double(0.1, 1.2)
        let colours = [RGB(0.94, 0.94, 0.91), RGB(0.95, 0.86, 0.36), RGB(0.82, 0.70, 0.50), RGB(0.55, 0.70, 0.85), RGB(0.92, 0.92, 0.92)]
        let colour = colours[r.int(0, colours.count - 1)].jittered(0.06, &r)
        let corners = [(tailEnd, -above), (1.14, -above), (1.14, below), (tailEnd, below)].map { flat.map($0.0, $0.1) }
        // A shadow under the board, then the board.
        k.fill(corners.map { ($0.0 + k.size * 0.012, $0.1 + k.size * 0.015) }, RGB(0, 0, 0), 0.3)
        k.fill(corners, colour)
        // Wear: scratches, smudges of slime and water, drops.
        cairo_save(k.cr)
        k.path(corners)
        cairo_clip(k.cr)
        let S = k.size
        for _ in 0..<Int(120 * S / 224) {
            let x = r.double(0, S), y = r.double(0, S), a = r.double(0, .pi), l = S * r.double(0.01, 0.06)
            k.line((x, y), (x + l * cos(a), y + l * sin(a)), width: S * r.double(0.001, 0.004),
                   r.chance(0.5) ? colour.scaled(0.7) : RGB(1, 1, 1), r.double(0.2, 0.5))
        }
        for _ in 0..<r.int(6, 16) {
            k.blob(r.double(0, S), r.double(0, S), S * r.double(0.03, 0.12), colour.scaled(r.double(0.6, 0.9)), r.double(0.15, 0.4))
        }
        for _ in 0..<r.int(10, 40) {
            let x = r.double(0, S), y = r.double(0, S), radius = S * r.double(0.003, 0.009)
            k.disc(x, y, radius, colour.scaled(0.75), 0.5)
            k.disc(x - radius * 0.3, y - radius * 0.3, radius * 0.35, RGB(1, 1, 1), 0.8)
        }
        cairo_restore(k.cr)
        // The tape: ticks every centimetre, longer every 5 and a number every 10.
        let cm = 1 / r.double(16, 30)          // half-lengths per centimetre
        let onTop = r.chance(0.6)
        let tapeColour = r.chance(0.5) ? RGB(0.97, 0.85, 0.2) : colour.scaled(1.02)
        let edge = onTop ? -above : below, inward = onTop ? 1.0 : -1.0
        let band = 0.16 * inward
        if survey { grid(k, flat, from: tailEnd, to: 1.06, above: above, below: below, step: 5 * cm) }
        k.fill([(tailEnd, edge), (1.06, edge), (1.06, edge + band), (tailEnd, edge + band)].map { flat.map($0.0, $0.1) }, tapeColour)
        let ink = RGB(0.05, 0.05, 0.05)
        let px = pose.halfLength
        var i = 0
        var x = 1.06
        while x > tailEnd {
            let length = i % 10 == 0 ? 0.11 : (i % 5 == 0 ? 0.075 : 0.04)
            k.line(flat.map(x, edge), flat.map(x, edge + length * inward), width: max(0.4, px * 0.005), ink, 0.8)
            if i % 10 == 0 && i > 0 && px * cm * 10 > 14 {
                let at = flat.map(x - 0.01 * pose.facing, edge + 0.145 * inward)
                let size = max(4, px * 0.05)
                let angle = pose.angle + (pose.facing < 0 ? .pi : 0)
                k.text("\(i)", at: at.0, at.1, size: size, angle: angle, ink)
            }
            i += 1
            x -= cm
        }
        // The stop at the snout end.
        let stop = [(1.08, -above), (1.2, -above), (1.2, below), (1.08, below)].map { flat.map($0.0, $0.1) }
        k.fill(stop, colour.scaled(0.7))
        k.fill([(1.08, -above), (1.11, -above), (1.11, below), (1.08, below)].map { flat.map($0.0, $0.1) }, colour.scaled(0.5))
    }

    /// The survey board's printed grid, in the fish's flat coordinates: lines
    /// `step` apart across and along the board from the snout end and the
    /// midline, every other one bolder.
    static func grid(_ k: Sketch, _ flat: FishPose, from tailEnd: Double, to snout: Double, above: Double, below: Double, step: Double) {
        let ink = RGB(0.05, 0.05, 0.05)
        func width(_ j: Int) -> Double { max(0.5, flat.halfLength * (j % 2 == 0 ? 0.024 : 0.012)) }
        var j = 0
        for x in stride(from: snout, to: tailEnd, by: -step) {
            k.line(flat.map(x, -above), flat.map(x, below), width: width(j), ink, 0.7)
            j += 1
        }
        j = 0
        for y in stride(from: 0, to: max(above, below), by: step) {
            for across in (y == 0 ? [y] : [y, -y]) where across > -above && across < below {
                k.line(flat.map(tailEnd, across), flat.map(snout, across), width: width(j), ink, 0.7)
            }
            j += 1
        }
    }
}
