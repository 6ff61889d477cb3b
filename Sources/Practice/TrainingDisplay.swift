import CellIO
import CellLanguage
import Foundation
import Rendering
import TrainingEngine

/// The live view of a training run in a cell's output: shown once under a
/// display id, replaced in place a few times a second while batches run and
/// after every epoch, and left in its complete final state. In a terminal,
/// where nothing can be replaced, it prints one line per epoch instead.
final class TrainingDisplay {
    private let sink: OutputSink
    private let id: String
    private var progress: TrainingProgress
    private var throttle = Throttle(interval: 0.25)
    private let live: Bool

    init(sink: OutputSink, totalEpochs: Int, title: String) {
        self.sink = sink
        live = sink.showsLiveDisplays
        progress = TrainingProgress(title: title, totalEpochs: totalEpochs)
        id = "shoal-training-\(UUID().uuidString.lowercased())"
        if live { sink.display(progress.display, id: id, update: false) }
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    func batchEnded(_ b: BatchProgress) {
        guard live, throttle.ready(now: TrainingDisplay.now()) else { return }
        progress.current = .init(epoch: b.epoch, batch: b.batch, batches: b.batches, samplesPerSecond: b.samplesPerSecond,
                                 secondsInEpoch: b.secondsInEpoch)
        sink.display(progress.display, id: id, update: true)
    }

    func epochEnded(_ e: EpochRecord) {
        let row = TrainingProgress.Epoch(epoch: e.epoch, trainingLoss: Double(e.trainingLoss), trainingAccuracy: e.trainingAccuracy,
                                         validationLoss: e.validationLoss.map(Double.init),
                                         validationAccuracy: e.validationAccuracy, seconds: e.seconds)
        progress.epochs.append(row)
        progress.current = nil
        if live {
            sink.display(progress.display, id: id, update: true)
        } else {
            sink.write(TrainingProgress.terminalLine(row, of: progress.totalEpochs) + "\n", to: .stdout)
        }
    }

    /// The last state: every epoch, no progress bar, a closing line.
    func finish(_ note: String) {
        progress.current = nil
        progress.finishedNote = note
        if live {
            sink.display(progress.display, id: id, update: true)
        } else {
            sink.write(note + "\n", to: .stdout)
        }
    }
}
