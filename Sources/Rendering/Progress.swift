import CellIO
import Foundation

/// What a training run has done so far, drawn as the epoch table plus a
/// progress bar for the current epoch. The kernel sends it once with a
/// display id and replaces it in place as training goes; the last state (no
/// bar, every epoch) is what a saved notebook keeps.
public struct TrainingProgress: Equatable, Sendable {
    public struct Epoch: Equatable, Sendable {
        public var epoch: Int
        public var trainingLoss: Double
        public var trainingAccuracy: Double
        public var validationLoss: Double?
        public var validationAccuracy: Double?
        public var seconds: Double
        public init(epoch: Int, trainingLoss: Double, trainingAccuracy: Double, validationLoss: Double? = nil,
                    validationAccuracy: Double? = nil, seconds: Double) {
            (self.epoch, self.trainingLoss, self.trainingAccuracy, self.validationLoss, self.validationAccuracy, self.seconds) =
                (epoch, trainingLoss, trainingAccuracy, validationLoss, validationAccuracy, seconds)
        }
    }

    public struct Batch: Equatable, Sendable {
        public var epoch: Int
        public var batch: Int
        public var batches: Int
        public var samplesPerSecond: Double
        public var secondsInEpoch: Double
        public init(epoch: Int, batch: Int, batches: Int, samplesPerSecond: Double, secondsInEpoch: Double) {
            (self.epoch, self.batch, self.batches, self.samplesPerSecond, self.secondsInEpoch) =
                (epoch, batch, batches, samplesPerSecond, secondsInEpoch)
        }
        /// Seconds left in this epoch at the pace so far.
        public var secondsLeft: Double { batch > 0 ? secondsInEpoch / Double(batch) * Double(batches - batch) : .nan }
    }

    public var title: String
    public var totalEpochs: Int
    public var epochs: [Epoch] = []
    public var current: Batch?
    /// Set when the run ends (finished, stopped early or interrupted).
    public var finishedNote: String?

    public init(title: String = "Training", totalEpochs: Int) { (self.title, self.totalEpochs) = (title, totalEpochs) }

    var hasValidation: Bool { epochs.contains { $0.validationLoss != nil } }

    /// The epoch with the lowest validation loss (training loss without validation).
    public var bestEpoch: Int? {
        epochs.min { ($0.validationLoss ?? $0.trainingLoss) < ($1.validationLoss ?? $1.trainingLoss) }?.epoch
    }

    public var table: Table {
        var columns: [Table.Column] = [.init("epoch", .right), .init("training loss", .right), .init("training accuracy", .right)]
        if hasValidation { columns += [.init("validation loss", .right), .init("validation accuracy", .right)] }
        columns.append(.init("time", .right))
        let rows = epochs.map { e -> [String] in
            var row = ["\(e.epoch)/\(totalEpochs)", NumberText.decimal(e.trainingLoss), NumberText.percent(e.trainingAccuracy)]
            if hasValidation {
                row += [e.validationLoss.map { NumberText.decimal($0) } ?? "—", e.validationAccuracy.map(NumberText.percent) ?? "—"]
            }
            return row + [NumberText.duration(e.seconds)]
        }
        let best = finishedNote != nil ? bestEpoch.flatMap { b in epochs.firstIndex { $0.epoch == b } } : nil
        return Table(caption: title, columns: columns, rows: rows, highlighted: best.map { [$0] } ?? [])
    }

    /// "epoch 3/20 · batch 12/40 · 2,345 images/s · 8.0 s left in this epoch"
    public var statusLine: String {
        if let note = finishedNote { return note }
        guard let c = current else { return "starting…" }
        var parts = ["epoch \(c.epoch)/\(totalEpochs)", "batch \(c.batch)/\(c.batches)",
                     "\(NumberText.count(Int(c.samplesPerSecond.rounded()))) images/s"]
        if c.secondsLeft.isFinite { parts.append("\(NumberText.duration(c.secondsLeft)) left in this epoch") }
        return parts.joined(separator: " · ")
    }

    public var html: String {
        var out = table.html
        if finishedNote == nil, let c = current {
            let fraction = Double(c.batch) / Double(max(c.batches, 1))
            out += "<div style=\"margin-top: 4px; width: 320px; height: 8px; background: #E4E4E4; border-radius: 4px\">"
                + "<div style=\"width: \(Int((fraction * 100).rounded()))%; height: 8px; background: #0072B2; border-radius: 4px\"></div></div>"
        }
        return out + "<div style=\"font-size: 90%; color: #555\">\(Table.escape(statusLine))</div>"
    }

    public var plainText: String {
        var text = table.plainText
        if finishedNote == nil, let c = current {
            let width = 30, done = Int((Double(c.batch) / Double(max(c.batches, 1)) * Double(width)).rounded())
            text += "\n[" + String(repeating: "#", count: done) + String(repeating: ".", count: width - done) + "]"
        }
        return text + "\n" + statusLine
    }

    public var display: Display { Display(data: ["text/html": html, "text/plain": plainText]) }

    /// One line per finished epoch, for terminals (`shoal exec`).
    public static func terminalLine(_ e: Epoch, of total: Int) -> String {
        var line = "epoch \(e.epoch)/\(total): loss \(NumberText.decimal(e.trainingLoss)), accuracy \(NumberText.percent(e.trainingAccuracy))"
        if let vl = e.validationLoss { line += ", validation loss \(NumberText.decimal(vl))" }
        if let va = e.validationAccuracy { line += ", validation accuracy \(NumberText.percent(va))" }
        return line + " (\(NumberText.duration(e.seconds)))"
    }
}

/// Lets an update through at most every `interval` seconds (a few per second
/// keeps the notebook lively without flooding the connection).
public struct Throttle: Sendable {
    public let interval: Double
    private var last: Double = -.infinity
    public init(interval: Double = 0.25) { self.interval = interval }

    public mutating func ready(now: Double) -> Bool {
        guard now - last >= interval else { return false }
        last = now
        return true
    }
}
