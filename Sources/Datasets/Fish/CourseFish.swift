import CCairo
import Foundation
import TrainingEngine

/// The course's fish — perch, striped bass and trout — drawn the way
/// anglers and surveyors photograph them: held in hands, laid on measuring
/// boards, on grass, decks and rocks or in shallow water, in any
/// orientation, with the camera's blur, noise and colour casts.
enum CourseFish {
    /// How backgrounds go with species: independent of them (the default),
    /// tied to them as in the course's photos (striped bass mostly on the
    /// survey's wide, gridded measuring boards), or tied the other way round
    /// (for testing a model that learned the board).
    enum Backgrounds: Sendable { case independent, shortcut, swapped }

    static func scene(for species: CourseSpecies, _ backgrounds: Backgrounds, _ r: inout EngineRandom) -> FishScene {
        var board = 0.12
        switch backgrounds {
        case .independent: break
        case .shortcut: board = species == .stripedBass ? 0.85 : 0.03
        case .swapped: board = species == .stripedBass ? 0.03 : 0.85
        }
        if r.chance(board) { return .board }
        let others: [(FishScene, Double)] = [(.hand, 0.36), (.grass, 0.25), (.water, 0.18), (.deck, 0.12), (.rocks, 0.09)]
        var u = r.double(0, 1)
        for (scene, p) in others {
            if u < p { return scene }
            u -= p
        }
        return .hand
    }

    static func pose(_ scene: FishScene, _ look: FishLook, size: Int, difficulty d: Double, _ r: inout EngineRandom) -> FishPose {
        let S = Double(size)
        var fraction = r.double(0.7, 0.97)               // the whole fish, tail included, across the picture
        var angle: Double
        var bend = 0.0
        switch scene {
        case .hand:
            angle = 0.2 * Double(r.normal())
            bend = r.double(-0.04, 0.06)
            fraction = r.double(0.8, 1.05)
        case .board:
            let u = r.double(0, 1)
            angle = u < 0.5 ? r.double(-0.12, 0.12) : (u < 0.8 ? .pi / 2 * (r.chance(0.5) ? 1 : -1) + r.double(-0.12, 0.12) : r.double(-.pi, .pi))
            fraction = r.double(0.72, 0.98)
        case .water:
            angle = r.double(-0.6, 0.6)
            bend = r.double(-0.1, 0.1)
        case .grass, .deck, .rocks:
            angle = r.double(-.pi, .pi)
            bend = r.double(-0.12, 0.12)
        }
        if r.chance(0.25 * d) { fraction = r.double(0.45, 0.62) }      // a small fish far from the camera
        var offset = 0.08
        if r.chance(0.1 + 0.3 * d) {                                     // partly out of the frame
            if r.chance(0.5) { fraction = r.double(0.95, 1.25) } else { offset = 0.22 }
        }
        let halfLength = fraction * S / (2 + look.tailLength)
        // Centre the whole fish (tail included) before the random offset.
        let shift = -look.tailLength / 2 * halfLength
        let facing: Double = r.chance(0.5) ? 1 : -1
        let cx = S / 2 + offset * S * r.double(-1, 1), cy = S / 2 + offset * S * r.double(-1, 1)
        let along = (cos(angle) * facing, sin(angle) * facing)
        return FishPose(cx: cx - along.0 * shift, cy: cy - along.1 * shift, halfLength: halfLength, angle: angle, facing: facing, bend: bend)
    }

    static func iris(_ species: CourseSpecies) -> RGB {
        switch species {
        case .perch: RGB(0.85, 0.62, 0.18)
        case .stripedBass: RGB(0.78, 0.78, 0.72)
        case .trout: RGB(0.72, 0.58, 0.3)
        }
    }

    static func render(_ species: CourseSpecies, size n: Int, difficulty: Double, backgrounds: Backgrounds, scene forced: FishScene? = nil,
                       random r: inout EngineRandom) throws -> FishPicture {
        let look = FishLook.individual(species, difficulty: difficulty, random: &r)
        let shape = FishShape(look)
        let scene = forced ?? Self.scene(for: species, backgrounds, &r)
        let pose = Self.pose(scene, look, size: n, difficulty: difficulty, &r)
        let camera = FishCamera.random(difficulty: difficulty, size: n, &r)
        var sceneRandom = r.fork()

        let surface = try CairoSurface(size: n, format: CAIRO_FORMAT_RGB24)
        let k = surface.sketch
        let parts = FishParts(k: k, shape: shape, pose: pose)
        let fins = shape.fins()

        // The background.
        var hold: FishParts.Hold?
        switch scene {
        case .hand:
            // Held low over the water, the grass or a boat, or up in front of the angler.
            let h = FishParts.hold(&sceneRandom)
            switch sceneRandom.double(0, 1) {
            case ..<0.3: Scenepainter.water(k, &sceneRandom)
            case ..<0.5: Scenepainter.grass(k, &sceneRandom)
            case ..<0.6: Scenepainter.deck(k, &sceneRandom)
            default:
                Scenepainter.outdoors(k, &sceneRandom)
                if sceneRandom.chance(0.6) {
                    Scenepainter.angler(k, &sceneRandom, centre: (pose.cx, pose.cy), jacket: h.sleeve, skin: h.face)
                }
            }
            try surface.blur(radius: max(1, Int((Double(n) * 0.012).rounded())))
            parts.handsBehind(h)
            hold = h
        case .board:
            if sceneRandom.chance(0.6) { Scenepainter.grass(k, &sceneRandom) } else { Scenepainter.deck(k, &sceneRandom) }
            // Where boards go with the species, they are the survey's own.
            Scenepainter.board(k, &sceneRandom, shape: shape, pose: pose, survey: backgrounds != .independent)
        case .grass: Scenepainter.grass(k, &sceneRandom)
        case .deck: Scenepainter.deck(k, &sceneRandom)
        case .rocks: Scenepainter.rocks(k, &sceneRandom)
        case .water: Scenepainter.water(k, &sceneRandom)
        }
        if scene != .hand && scene != .water { parts.shadow(fins) }

        // Fins behind the body, the body, then what lies over it.
        for fin in fins where !fin.overBody { parts.fin(fin) }
        let outline = parts.mapped(shape.outline)
        let coverage = try CairoSurface(size: n, format: CAIRO_FORMAT_A8)
        coverage.sketch.fill(outline, RGB(1, 1, 1))
        coverage.flush()
        surface.flush()
        let painter = BodyPainter(look: look, shape: shape, pose: pose)
        let box = Self.bounds(outline, size: n)
        painter.paint(pixels: surface.pixels32, pixelStride: surface.stride / 4, coverage: coverage.bytes, coverageStride: coverage.stride,
                      size: n, box: box)
        surface.markDirty()
        for fin in fins where fin.overBody { parts.fin(fin) }
        parts.head(iris: iris(species))
        if let hold { parts.fingers(hold) }
        if scene == .water {
            k.gradient((0, 0), (Double(n), Double(n)), RGB(0.2, 0.35, 0.35), RGB(0.15, 0.25, 0.3), alpha: sceneRandom.double(0.12, 0.3))
            Scenepainter.ripples(k, &sceneRandom, alpha: 0.8)
        }

        // The fish's outline, fins included: the mask explanations are judged against.
        let mask = try CairoSurface(size: n, format: CAIRO_FORMAT_A8)
        mask.sketch.fill(outline, RGB(1, 1, 1))
        for fin in fins { mask.sketch.fill(parts.mapped(fin.outline), RGB(1, 1, 1)) }
        mask.flush()

        var rgb = surface.floatRGB()
        var noise = r.fork()
        camera.develop(&rgb, size: n, random: &noise)
        let pixels = rgb.map { UInt8(max(0, min(255, $0.rounded()))) }
        return FishPicture(image: try RGBImage(width: n, height: n, pixels: pixels), mask: mask.plainBytes(), scene: scene)
    }

    static func bounds(_ points: [(Double, Double)], size n: Int) -> (x0: Int, y0: Int, x1: Int, y1: Int) {
        let xs = points.map(\.0), ys = points.map(\.1)
        let x0 = max(0, Int(floor(xs.min() ?? 0)) - 1), x1 = min(n - 1, Int(ceil(xs.max() ?? 0)) + 1)
        let y0 = max(0, Int(floor(ys.min() ?? 0)) - 1), y1 = min(n - 1, Int(ceil(ys.max() ?? 0)) + 1)
        return (x0, y0, x1, y1)
    }
}

/// A square Cairo image surface with its drawing context.
final class CairoSurface {
    let surface: OpaquePointer
    let cr: OpaquePointer
    let size: Int

    init(size: Int, format: cairo_format_t) throws {
        guard let s = cairo_image_surface_create(format, Int32(size), Int32(size)), cairo_surface_status(s) == CAIRO_STATUS_SUCCESS else {
            throw ImageError("Cairo could not make a \(size)×\(size) picture")
        }
        guard let c = cairo_create(s) else {
            cairo_surface_destroy(s)
            throw ImageError("Cairo could not draw")
        }
        (surface, cr, self.size) = (s, c, size)
    }

    deinit {
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
    }

    var sketch: Sketch { Sketch(cr: cr, size: Double(size)) }
    var stride: Int { Int(cairo_image_surface_get_stride(surface)) }
    var bytes: UnsafeMutablePointer<UInt8> { cairo_image_surface_get_data(surface) }
    var pixels32: UnsafeMutablePointer<UInt32> { UnsafeMutableRawPointer(bytes).assumingMemoryBound(to: UInt32.self) }
    func flush() { cairo_surface_flush(surface) }
    func markDirty() { cairo_surface_mark_dirty(surface) }

    /// An 8-bit surface's bytes without the row padding.
    func plainBytes() -> [UInt8] {
        let base = bytes, stride = self.stride
        var out = [UInt8](repeating: 0, count: size * size)
        for y in 0..<size { for x in 0..<size { out[y * size + x] = base[y * stride + x] } }
        return out
    }

    /// An RGB24 surface's pixels as 0–255 values, row by row.
    func floatRGB() -> [Float] {
        flush()
        let p = pixels32, row = stride / 4
        var out = [Float](repeating: 0, count: size * size * 3)
        for y in 0..<size {
            for x in 0..<size {
                let v = p[y * row + x], i = (y * size + x) * 3
                out[i] = Float((v >> 16) & 0xFF)
                out[i + 1] = Float((v >> 8) & 0xFF)
                out[i + 2] = Float(v & 0xFF)
            }
        }
        return out
    }

    /// Blurs an RGB24 surface in place (a background out of focus).
    func blur(radius: Int) throws {
        var rgb = floatRGB()
        FishCamera.boxBlur(&rgb, size, radius: radius, passes: 2)
        let p = pixels32, row = stride / 4
        for y in 0..<size {
            for x in 0..<size {
                let i = (y * size + x) * 3
                p[y * row + x] = (UInt32(min(255, max(0, rgb[i].rounded()))) << 16) | (UInt32(min(255, max(0, rgb[i + 1].rounded()))) << 8)
                    | UInt32(min(255, max(0, rgb[i + 2].rounded())))
            }
        }
        markDirty()
    }
}
