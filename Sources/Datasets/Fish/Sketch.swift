import CCairo
import Foundation

/// A Cairo drawing context in picture pixels, with the few shapes the fish
/// scenes are made of.
struct Sketch {
    let cr: OpaquePointer
    let size: Double

    func colour(_ c: RGB, _ alpha: Double = 1) { cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha) }

    func path(_ points: [(Double, Double)], close: Bool = true) {
        cairo_new_path(cr)
        guard let first = points.first else { return }
        cairo_move_to(cr, first.0, first.1)
        for p in points.dropFirst() { cairo_line_to(cr, p.0, p.1) }
        if close { cairo_close_path(cr) }
    }

    /// A closed, rounded path through the midpoints of the polygon's sides.
    func smoothPath(_ points: [(Double, Double)]) {
        cairo_new_path(cr)
        guard points.count >= 3 else { return }
        func mid(_ a: (Double, Double), _ b: (Double, Double)) -> (Double, Double) { ((a.0 + b.0) / 2, (a.1 + b.1) / 2) }
        let start = mid(points[points.count - 1], points[0])
        cairo_move_to(cr, start.0, start.1)
        for i in points.indices {
            let p = points[i], end = mid(p, points[(i + 1) % points.count])
            cairo_curve_to(cr, p.0, p.1, p.0, p.1, end.0, end.1)
        }
        cairo_close_path(cr)
    }

    func fill(_ points: [(Double, Double)], _ c: RGB, _ alpha: Double = 1) {
        path(points)
        colour(c, alpha)
        cairo_fill(cr)
    }

    func line(_ a: (Double, Double), _ b: (Double, Double), width: Double, _ c: RGB, _ alpha: Double = 1, round: Bool = false) {
        cairo_new_path(cr)
        cairo_move_to(cr, a.0, a.1)
        cairo_line_to(cr, b.0, b.1)
        cairo_set_line_width(cr, width)
        cairo_set_line_cap(cr, round ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_BUTT)
        colour(c, alpha)
        cairo_stroke(cr)
    }

    func polyline(_ points: [(Double, Double)], width: Double, _ c: RGB, _ alpha: Double = 1) {
        path(points, close: false)
        cairo_set_line_width(cr, width)
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND)
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        colour(c, alpha)
        cairo_stroke(cr)
    }

    func disc(_ x: Double, _ y: Double, _ r: Double, _ c: RGB, _ alpha: Double = 1) {
        cairo_new_path(cr)
        cairo_arc(cr, x, y, max(r, 0.01), 0, 2 * .pi)
        colour(c, alpha)
        cairo_fill(cr)
    }

    /// A soft round blob: a radial gradient from `c` to transparent.
    func blob(_ x: Double, _ y: Double, _ r: Double, _ c: RGB, _ alpha: Double) {
        guard let p = cairo_pattern_create_radial(x, y, 0, x, y, max(r, 0.5)) else { return }
        cairo_pattern_add_color_stop_rgba(p, 0, c.r, c.g, c.b, alpha)
        cairo_pattern_add_color_stop_rgba(p, 1, c.r, c.g, c.b, 0)
        cairo_set_source(cr, p)
        cairo_new_path(cr)
        cairo_arc(cr, x, y, max(r, 0.5), 0, 2 * .pi)
        cairo_fill(cr)
        cairo_pattern_destroy(p)
    }

    func paint(_ c: RGB) {
        colour(c)
        cairo_paint(cr)
    }

    /// A linear gradient over the whole picture, from `a` at p0 to `b` at p1.
    func gradient(_ p0: (Double, Double), _ p1: (Double, Double), _ a: RGB, _ b: RGB, alpha: Double = 1) {
        guard let p = cairo_pattern_create_linear(p0.0, p0.1, p1.0, p1.1) else { return }
        cairo_pattern_add_color_stop_rgba(p, 0, a.r, a.g, a.b, alpha)
        cairo_pattern_add_color_stop_rgba(p, 1, b.r, b.g, b.b, alpha)
        cairo_set_source(cr, p)
        cairo_paint(cr)
        cairo_pattern_destroy(p)
    }

    func text(_ s: String, at x: Double, _ y: Double, size: Double, angle: Double, _ c: RGB) {
        cairo_save(cr)
        cairo_translate(cr, x, y)
        cairo_rotate(cr, angle)
        cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD)
        cairo_set_font_size(cr, size)
        colour(c)
        cairo_move_to(cr, 0, 0)
        cairo_show_text(cr, s)
        cairo_restore(cr)
    }
}
