import CellLanguage
import Datasets
import Foundation
import Rendering
import TrainingEngine

extension EvaluationObject {
    /// The `count` samples with the highest loss: a grid of pictures captioned
    /// predicted / actual, the loss and the probability of the actual class (the title's
    /// second line says so);
    /// a table for samples that are not pictures.
    func topLosses(_ count: Int, columns: Int) throws -> any HostObject {
        let e = evaluation
        let order = e.topLosses(count)
        let losses = e.sampleLosses
        let p = try e.probabilities()
        let k = e.classNames.count
        func chance(_ i: Int) -> Double { Double(p[flat: i * k + e.labels[i]]) }
        func title(_ what: String) -> String { "The \(order.count) \(what)\(order.count == 1 ? "" : "s") with the highest loss" }
        if let samples, samples.sampleShape.count == 3, samples.sampleShape[2] == 3, samples.count == e.labels.count {
            let images = try order.map { i -> GridImage in
                let (predicted, actual) = (e.classNames[e.predictions[i]], e.classNames[e.labels[i]])
                return try gridImage(samples, i, caption: "\(predicted) / \(actual)\nloss \(String(format: "%.2f", losses[i]))\n"
                                     + "p(\(actual)) \(NumberText.percent(chance(i)))",
                                     frame: e.predictions[i] == e.labels[i] ? .right : .wrong)
            }
            return ChartObject(.grid(ImageGrid(title: title("picture") + "\nunder each: predicted / actual, loss, p(actual)", images: images,
                                               columns: max(1, columns), cellSize: 120)))
        }
        let rows = order.map { i in
            ["\(i)", e.classNames[e.predictions[i]], e.classNames[e.labels[i]], String(format: "%.3f", losses[i]), NumberText.percent(chance(i))]
        }
        return TableObject(Table(caption: title("sample"), columns: [.init("sample", .right), .init("predicted"), .init("actual"),
                                                           .init("loss", .right), .init("p(actual)", .right)], rows: rows))
    }

    /// The pairs of classes mixed up most often, with counts.
    func mostConfusedTable(minimum: Int) -> Table {
        let e = evaluation
        let pairs = e.mostConfused(minimum: minimum)
        let mistakes = e.labels.count - e.confusion.indices.reduce(0) { $0 + e.confusion[$1][$1] }
        return Table(caption: "The classes mixed up most often",
                     columns: [.init("actual"), .init("predicted as"), .init("pictures", .right)],
                     rows: pairs.map { [e.classNames[$0.actual], e.classNames[$0.predicted], NumberText.count($0.count)] },
                     footer: ["all mistakes", "", NumberText.count(mistakes)])
    }
}

extension PracticeBuiltins {
    static func registerMistakes(in r: BuiltinRegistry) {
        struct TopLosses: Decodable { var count: Int, columns: Int }
        r.addMethod(on: "Evaluation", "topLosses(_ count: Int = 9, columns: Int = 3) -> Chart",
                    doc: "The pictures the model got most wrong (highest loss first), captioned predicted / actual, their loss and "
                        + "the probability the model gave the actual class.",
                    example: "result.topLosses(9)", receiver: EvaluationObject.self, options: TopLosses.self) { e, o, _ in
            guard o.count >= 1 else { throw CellError.value("topLosses needs a count of at least 1") }
            return .object(try e.topLosses(min(o.count, 100), columns: o.columns))
        }
        struct Minimum: Decodable { var minimum: Int }
        r.addMethod(on: "Evaluation", "mostConfused(minimum: Int = 1) -> Table",
                    doc: "The pairs of classes the model mixes up, most often first: actual, predicted as, and how many pictures.",
                    example: "result.mostConfused()", receiver: EvaluationObject.self, options: Minimum.self) { e, o, _ in
            .object(TableObject(e.mostConfusedTable(minimum: o.minimum)))
        }
        r.addProperty(on: "Evaluation", "losses: [Double]", doc: "Each sample's loss, −log p(actual class), in the data's order; their mean is loss.",
                      receiver: EvaluationObject.self) { e, _ in
            .array(e.evaluation.sampleLosses.map { .double(Double.readable($0)) })
        }
    }
}
