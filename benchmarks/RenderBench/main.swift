// The Shoal side of the rendering benchmark: a 20-epoch two-chart history
// and a 10×10 grid of 64×64 pictures, drawn to PNG. Prints one JSON object
// per figure with the best time of several runs; benchmarks/rendering.py
// draws the same figures with matplotlib in the same run.
import Foundation
import Rendering

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

func history() -> Figure {
    let epochs = (1...20).map(Double.init)
    let train = epochs.map { 1.2 * exp(-$0 / 6) + 0.05 }
    let validation = epochs.map { 1.1 * exp(-$0 / 5) + 0.15 + 0.004 * max(0, $0 - 12) * ($0 - 12) }
    return .row([
        .line(LineChart(title: "Loss", xLabel: "epoch", yLabel: "loss",
                        series: [LineSeries(name: "training", x: epochs, y: train), LineSeries(name: "validation", x: epochs, y: validation)],
                        markers: [VerticalMarker(x: 12, label: "best epoch")])),
        .line(LineChart(title: "Accuracy", xLabel: "epoch", yLabel: "accuracy",
                        series: [LineSeries(name: "training", x: epochs, y: train.map { 1 - $0 / 1.3 }),
                                 LineSeries(name: "validation", x: epochs, y: validation.map { 1 - $0 / 1.3 })], yRange: 0...1)),
    ])
}

func grid() -> Figure {
    let images = (0..<100).map { i -> GridImage in
        var rgb = [UInt8](repeating: 0, count: 64 * 64 * 3)
        for p in 0..<(64 * 64) {
            rgb[3 * p] = UInt8((p % 64) * 4 % 256); rgb[3 * p + 1] = UInt8((p / 64) * 4 % 256); rgb[3 * p + 2] = UInt8(i * 2)
        }
        return GridImage(width: 64, height: 64, rgb: rgb, caption: "fish \(i + 1)", frame: i % 7 == 0 ? .wrong : .right)
    }
    return .grid(ImageGrid(title: "Predictions", images: images, columns: 10, cellSize: 64))
}

func best(_ figure: Figure, runs: Int = 10) throws -> (seconds: Double, bytes: Int) {
    var fastest = Double.infinity, bytes = 0
    for _ in 0..<runs {
        let t0 = now()
        bytes = try figure.render().bytes.count
        fastest = min(fastest, now() - t0)
    }
    return (fastest, bytes)
}

do {
    for (name, figure) in [("history", history()), ("grid", grid())] {
        let r = try best(figure)
        let data = try JSONSerialization.data(withJSONObject: ["name": name, "seconds": r.seconds, "bytes": r.bytes], options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
} catch {
    FileHandle.standardError.write(Data("render bench failed: \(error)\n".utf8))
    exit(1)
}
