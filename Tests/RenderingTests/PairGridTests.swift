import Foundation
import Testing
@testable import Rendering

@Suite("pairs side by side")
struct PairGridTests {
    func tile(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> [UInt8] { (0..<(40 * 30)).flatMap { _ in [r, g, b] } }

    @Test func picturesCaptionsAndLabels() throws {
        let pair = PairGrid.Pair(left: GridImage(width: 40, height: 30, rgb: tile(200, 30, 30), caption: "training\nperch #12"),
                                 right: GridImage(width: 40, height: 30, rgb: tile(30, 30, 200), caption: "test\nperch #201"),
                                 label: "vertical flip · difference 0.0")
        let grid = PairGrid(title: "3 look-alike pairs", pairs: [pair, pair, pair], columns: 2, cellSize: 100)
        let image = try Figure.pairs(grid).render()
        save(image, "pairs")
        // Two pairs a row: margins, two pairs of two pictures with a gap, the space between pairs.
        #expect(image.width == 2 * 14 + 2 * (2 * 100 + 22) + 30)
        #expect(image.height == 40 + 2 * (100 + 42 + 14 + 14))
        let png = try Decoded(image.bytes)
        // The left picture is red in the middle of its square, the right one blue.
        let left = png.pixel(2 * (14 + 50), 2 * (40 + 50)), right = png.pixel(2 * (14 + 100 + 22 + 50), 2 * (40 + 50))
        #expect(left.r > 180 && left.b < 60 && right.b > 180 && right.r < 60)
        // Captions and the pair's label are drawn under the pictures.
        #expect(png.ink(in: 2 * 14..<2 * 114, 2 * (40 + 100 + 2)..<2 * (40 + 100 + 30)) > 40)
        #expect(png.count(near: .wrong, in: 2 * 14..<2 * 236, 2 * (40 + 100 + 34)..<2 * (40 + 100 + 50), tolerance: 40) > 40)
        #expect(image.summary == "3 look-alike pairs — 3 pairs: training perch #12 ↔ test perch #201 (vertical flip · difference 0.0); "
                + "training perch #12 ↔ test perch #201 (vertical flip · difference 0.0); training perch #12 ↔ test perch #201 (vertical flip · difference 0.0)")
    }

    @Test func longNamesShrinkThenLoseTheirMiddle() throws {
        let canvas = try Canvas(width: 200, height: 50)
        let (short, size) = fitted("perch #12", canvas, width: 120, size: 10)
        #expect(short == "perch #12" && size == 10)
        let name = "IMG_20240612_093015_striped_bass_on_the_board_0456.jpg"
        let (shown, smaller) = fitted(name, canvas, width: 120, size: 10)
        #expect(smaller == 8)
        #expect(canvas.textWidth(shown, size: smaller) <= 120)
        #expect(shown.hasPrefix("IMG_") && shown.hasSuffix(".jpg") && shown.contains("…"))
    }
}
