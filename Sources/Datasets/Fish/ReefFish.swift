import CCairo
import Dispatch
import Foundation
import Synchronization
import TrainingEngine

/// The six reef species (clownfish among them, as in the course text):
/// bright, simple drawings, each with its own body shape, fins, colours and
/// markings, with a random pose, size, lighting, water and noise.
enum ReefFish {
    struct Species {
        let name: String
        /// Body length and height as fractions of the picture.
        let length: Double, height: Double
        let body: (Double, Double, Double)
        let fins: (Double, Double, Double)
        let marking: Marking
        let markingColour: (Double, Double, Double)
        let tailFork: Double
    }

    enum Marking { case bands(Int), stripes(Int), spots(Int), verticalStripes(Int), dorsalBlaze, none }

    static let all: [Species] = [
        Species(name: "clownfish", length: 0.56, height: 0.27, body: (0.98, 0.45, 0.08), fins: (0.95, 0.40, 0.05),
                marking: .bands(3), markingColour: (1, 1, 1), tailFork: 0.1),
        Species(name: "blue tang", length: 0.60, height: 0.34, body: (0.12, 0.32, 0.85), fins: (0.98, 0.85, 0.10),
                marking: .dorsalBlaze, markingColour: (0.05, 0.05, 0.12), tailFork: 0.25),
        Species(name: "yellow tang", length: 0.48, height: 0.42, body: (0.99, 0.88, 0.10), fins: (0.97, 0.82, 0.05),
                marking: .none, markingColour: (1, 1, 1), tailFork: 0.15),
        Species(name: "striped bass", length: 0.70, height: 0.22, body: (0.72, 0.75, 0.78), fins: (0.55, 0.58, 0.62),
                marking: .stripes(5), markingColour: (0.18, 0.20, 0.25), tailFork: 0.45),
        Species(name: "spotted grouper", length: 0.64, height: 0.30, body: (0.55, 0.38, 0.22), fins: (0.45, 0.30, 0.18),
                marking: .spots(16), markingColour: (0.22, 0.13, 0.08), tailFork: 0.0),
        Species(name: "angelfish", length: 0.42, height: 0.50, body: (0.88, 0.88, 0.82), fins: (0.80, 0.80, 0.74),
                marking: .verticalStripes(3), markingColour: (0.08, 0.08, 0.08), tailFork: 0.3),
    ]

    /// The species' names, in label order.
    static var speciesNames: [String] { all.map(\.name) }

    /// One picture of species `species`, `size` × `size`, from the generator.
    static func render(species: Int, size: Int, random: inout EngineRandom) throws -> FishPicture {
        guard all.indices.contains(species) else { throw InvalidArgument("there is no fish species \(species)") }
        let s = all[species]
        let mask = try CairoSurface(size: size, format: CAIRO_FORMAT_A8)
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(size), Int32(size)) else {
            throw ImageError("Cairo could not make a picture")
        }
        defer { cairo_surface_destroy(surface) }
        guard let cr = cairo_create(surface) else { throw ImageError("Cairo could not draw") }
        defer { cairo_destroy(cr) }
        let side = Double(size)
        cairo_scale(cr, side, side)   // draw in a unit square

        // Water: a vertical gradient in a random blue-green, with a sandy floor and bubbles.
        let hue = random.uniform(0, 1), depth = random.uniform(0.25, 0.6)
        let water = cairo_pattern_create_linear(0, 0, 0, 1)
        cairo_pattern_add_color_stop_rgb(water, 0, 0.25 + 0.2 * Double(hue), 0.55 + 0.2 * Double(depth), 0.75)
        cairo_pattern_add_color_stop_rgb(water, 1, 0.05, 0.20 + 0.2 * Double(hue), 0.35 + 0.2 * Double(depth))
        cairo_set_source(cr, water)
        cairo_paint(cr)
        cairo_pattern_destroy(water)
        if random.unit() < 0.6 {
            cairo_set_source_rgb(cr, 0.76, 0.68, 0.48)
            cairo_move_to(cr, 0, 0.9)
            cairo_curve_to(cr, 0.3, 0.84 + 0.05 * Double(random.unit()), 0.7, 0.95, 1, 0.86)
            cairo_line_to(cr, 1, 1)
            cairo_line_to(cr, 0, 1)
            cairo_fill(cr)
        }
        for _ in 0..<Int(random.next() % 6) {
            cairo_set_source_rgba(cr, 1, 1, 1, 0.35)
            cairo_new_sub_path(cr)
            cairo_arc(cr, Double(random.unit()), Double(random.unit()), 0.008 + 0.02 * Double(random.unit()), 0, 2 * .pi)
            cairo_fill(cr)
        }

        // Pose: centre, size, angle, facing left or right.
        let scale = 0.75 + 0.35 * Double(random.unit())
        let (cx, cy) = (0.5 + 0.12 * Double(random.uniform(-1, 1)), 0.5 + 0.12 * Double(random.uniform(-1, 1)))
        let angle = 0.35 * Double(random.uniform(-1, 1))
        let facingLeft = random.unit() < 0.5
        let light = 0.75 + 0.45 * Double(random.unit())
        func colour(_ c: (Double, Double, Double), _ jitter: Double = 0.06) -> (Double, Double, Double) {
            (min(1, max(0, (c.0 + jitter * Double(random.uniform(-1, 1))) * light)),
             min(1, max(0, (c.1 + jitter * Double(random.uniform(-1, 1))) * light)),
             min(1, max(0, (c.2 + jitter * Double(random.uniform(-1, 1))) * light)))
        }
        let (L, H) = (s.length / 2, s.height / 2)
        // The outline (tail, fins and body) on the mask, drawn like the fish below.
        let m = mask.cr
        cairo_scale(m, side, side)
        cairo_translate(m, cx, cy)
        cairo_rotate(m, angle)
        cairo_scale(m, facingLeft ? -scale : scale, scale)
        cairo_set_source_rgb(m, 1, 1, 1)
        cairo_move_to(m, -L * 0.85, 0)
        cairo_line_to(m, -L * 1.45, -H * 0.9)
        cairo_line_to(m, -L * (1.45 - s.tailFork), 0)
        cairo_line_to(m, -L * 1.45, H * 0.9)
        cairo_close_path(m)
        cairo_move_to(m, -L * 0.4, -H * 0.8)
        cairo_curve_to(m, -L * 0.1, -H * (s.height > 0.4 ? 1.9 : 1.5), L * 0.3, -H * 1.3, L * 0.4, -H * 0.75)
        cairo_close_path(m)
        cairo_move_to(m, -L * 0.3, H * 0.8)
        cairo_curve_to(m, -L * 0.1, H * (s.height > 0.4 ? 1.8 : 1.35), L * 0.2, H * 1.2, L * 0.25, H * 0.8)
        cairo_close_path(m)
        cairo_move_to(m, L, 0)
        cairo_curve_to(m, L * 0.8, -H * 1.05, -L * 0.7, -H * 1.1, -L, 0)
        cairo_curve_to(m, -L * 0.7, H * 1.1, L * 0.8, H * 1.05, L, 0)
        cairo_close_path(m)
        cairo_fill(m)
        mask.flush()

        cairo_save(cr)
        cairo_translate(cr, cx, cy)
        cairo_rotate(cr, angle)
        cairo_scale(cr, facingLeft ? -scale : scale, scale)

        // Tail (behind the body), then dorsal and belly fins.
        let fin = colour(s.fins)
        cairo_set_source_rgb(cr, fin.0, fin.1, fin.2)
        cairo_move_to(cr, -L * 0.85, 0)
        cairo_line_to(cr, -L * 1.45, -H * 0.9)
        cairo_line_to(cr, -L * (1.45 - s.tailFork), 0)
        cairo_line_to(cr, -L * 1.45, H * 0.9)
        cairo_close_path(cr)
        cairo_fill(cr)
        cairo_move_to(cr, -L * 0.4, -H * 0.8)
        cairo_curve_to(cr, -L * 0.1, -H * (s.height > 0.4 ? 1.9 : 1.5), L * 0.3, -H * 1.3, L * 0.4, -H * 0.75)
        cairo_close_path(cr)
        cairo_fill(cr)
        cairo_move_to(cr, -L * 0.3, H * 0.8)
        cairo_curve_to(cr, -L * 0.1, H * (s.height > 0.4 ? 1.8 : 1.35), L * 0.2, H * 1.2, L * 0.25, H * 0.8)
        cairo_close_path(cr)
        cairo_fill(cr)

        // Body: an ellipse, pointed a little at the snout.
        func bodyPath() {
            cairo_move_to(cr, L, 0)
            cairo_curve_to(cr, L * 0.8, -H * 1.05, -L * 0.7, -H * 1.1, -L, 0)
            cairo_curve_to(cr, -L * 0.7, H * 1.1, L * 0.8, H * 1.05, L, 0)
            cairo_close_path(cr)
        }
        let body = colour(s.body)
        bodyPath()
        cairo_set_source_rgb(cr, body.0, body.1, body.2)
        cairo_fill_preserve(cr)
        cairo_save(cr)
        cairo_clip(cr)
        let mark = colour(s.markingColour, 0.04)
        cairo_set_source_rgb(cr, mark.0, mark.1, mark.2)
        switch s.marking {
        case .bands(let n):
            for i in 0..<n {
                let x = L * (0.55 - 1.0 * Double(i) / Double(max(n - 1, 1))) * 0.95
                cairo_set_source_rgb(cr, 0.05, 0.05, 0.05)
                cairo_rectangle(cr, x - L * 0.12, -H * 1.2, L * 0.24, H * 2.4)
                cairo_fill(cr)
                cairo_set_source_rgb(cr, mark.0, mark.1, mark.2)
                cairo_rectangle(cr, x - L * 0.09, -H * 1.2, L * 0.18, H * 2.4)
                cairo_fill(cr)
            }
        case .stripes(let n):
            for i in 0..<n {
                let y = -H * 0.8 + H * 1.6 * Double(i) / Double(max(n - 1, 1))
                cairo_rectangle(cr, -L * 1.1, y - H * 0.06, L * 2.2, H * 0.12)
                cairo_fill(cr)
            }
        case .verticalStripes(let n):
            for i in 0..<n {
                let x = -L * 0.6 + L * 1.2 * Double(i) / Double(max(n - 1, 1))
                cairo_rectangle(cr, x - L * 0.06, -H * 1.2, L * 0.12, H * 2.4)
                cairo_fill(cr)
            }
        case .spots(let n):
            for _ in 0..<n {
                cairo_new_sub_path(cr)
                cairo_arc(cr, L * Double(random.uniform(-0.9, 0.8)), H * Double(random.uniform(-0.8, 0.8)),
                          0.012 + 0.018 * Double(random.unit()), 0, 2 * .pi)
                cairo_fill(cr)
            }
        case .dorsalBlaze:
            cairo_move_to(cr, L * 0.5, -H * 0.2)
            cairo_curve_to(cr, L * 0.1, -H * 0.9, -L * 0.6, -H * 0.6, -L * 0.8, H * 0.1)
            cairo_curve_to(cr, -L * 0.4, -H * 0.2, L * 0.1, -H * 0.3, L * 0.5, -H * 0.2)
            cairo_fill(cr)
        case .none:
            break
        }
        // Shading: darker back, lighter belly.
        let shade = cairo_pattern_create_linear(0, -H, 0, H)
        cairo_pattern_add_color_stop_rgba(shade, 0, 0, 0, 0, 0.25)
        cairo_pattern_add_color_stop_rgba(shade, 1, 1, 1, 1, 0.15)
        cairo_set_source(cr, shade)
        cairo_paint(cr)
        cairo_pattern_destroy(shade)
        cairo_restore(cr)
        // Eye.
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_new_sub_path(cr)
        cairo_arc(cr, L * 0.62, -H * 0.2, 0.022, 0, 2 * .pi)
        cairo_fill(cr)
        cairo_set_source_rgb(cr, 0, 0, 0)
        cairo_new_sub_path(cr)
        cairo_arc(cr, L * 0.64, -H * 0.2, 0.012, 0, 2 * .pi)
        cairo_fill(cr)
        cairo_restore(cr)
        cairo_surface_flush(surface)

        // Pixels, with a little sensor noise.
        guard let base = cairo_image_surface_get_data(surface) else { throw ImageError("Cairo gave no pixels") }
        let stride = Int(cairo_image_surface_get_stride(surface))
        var pixels = [UInt8](repeating: 0, count: size * size * 3)
        let noise = 6 * random.unit()
        for y in 0..<size {
            let row = UnsafeRawPointer(base + y * stride).assumingMemoryBound(to: UInt32.self)
            for x in 0..<size {
                let p = row[x]
                for (c, shift) in [(0, 16), (1, 8), (2, 0)] {
                    let v = Float((p >> UInt32(shift)) & 0xFF) + noise * random.uniform(-1, 1)
                    pixels[(y * size + x) * 3 + c] = UInt8(max(0, min(255, v.rounded())))
                }
            }
        }
        return FishPicture(image: try RGBImage(width: size, height: size, pixels: pixels), mask: mask.plainBytes(), scene: .water)
    }
}
