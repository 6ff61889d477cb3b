import CellIO
import CellLanguage
import Foundation
import Rendering
import TrainingEngine

/// Loss, accuracy and per-class results on a labelled set: shown as a
/// metric table beside the confusion matrix.
public final class EvaluationObject: HostObject {
    public let evaluation: Evaluation
    /// The samples evaluated, in order (pictures for `topLosses`).
    public let samples: LabelledDataset?
    public init(_ evaluation: Evaluation, samples: LabelledDataset? = nil) { (self.evaluation, self.samples) = (evaluation, samples) }
    public var typeName: String { "Evaluation" }
    public var textDescription: String {
        "accuracy \(NumberText.percent(Double(evaluation.accuracy))), loss \(NumberText.decimal(Double(evaluation.loss))) on "
            + "\(NumberText.count(evaluation.labels.count)) samples"
    }

    /// Per class: samples, precision, recall; then the overall accuracy and loss.
    public var table: Table {
        let e = evaluation
        let counts = e.confusion.map { $0.reduce(0, +) }
        let rows = e.classNames.indices.map { c in
            [e.classNames[c], NumberText.count(counts[c]), NumberText.percent(Double(e.precision[c])), NumberText.percent(Double(e.recall[c]))]
        }
        return Table(caption: "Results on \(NumberText.count(e.labels.count)) samples: accuracy \(NumberText.percent(Double(e.accuracy))), "
                     + "loss \(NumberText.decimal(Double(e.loss)))",
                     columns: [.init("class"), .init("samples", .right), .init("precision", .right), .init("recall", .right)],
                     rows: rows)
    }

    public func confusionChart(normalised: Bool) -> ChartObject {
        let e = evaluation
        let values = normalised ? e.normalisedConfusion.map { $0.map(Double.init) } : e.confusion.map { $0.map(Double.init) }
        return ChartObject(.heatmap(Heatmap(title: normalised ? "Confusion matrix (share of each actual class)" : "Confusion matrix",
                                            rowNames: e.classNames, columnNames: e.classNames, values: values, fractions: normalised)))
    }

    public func display() -> Display? {
        var html = table.html
        if let image = try? confusionChart(normalised: false).image() {
            html += image.htmlImage
        }
        return Display(data: ["text/html": html, "text/plain": table.plainText])
    }
}

extension ModelObject {
    /// Layer by layer: output shape, parameters, trainable or frozen.
    func summaryTable(inputShape: [Int]?) -> Table {
        let shape = inputShape ?? model?.inputShape
        let rows: [[String]]
        if let shape, let summary = try? network.summary(inputShape: shape) {
            rows = summary.map { s in
                [s.name, s.outputShape.map(String.init).joined(separator: "×"), NumberText.count(s.parameters),
                 s.parameters == 0 ? "—" : (s.frozen ? "frozen" : "trainable")]
            }
        } else {
            rows = network.layers.map { l in
                let p = l.parameters.reduce(0) { $0 + $1.count }
                return [l.name, "(set by the data)", NumberText.count(p), p == 0 ? "—" : (l.isFrozen ? "frozen" : "trainable")]
            }
        }
        return Table(caption: "Model", columns: [.init("layer"), .init("output shape", .right), .init("parameters", .right), .init("")],
                     rows: rows,
                     footer: ["total", "", NumberText.count(network.trainableParameterCount + network.frozenParameterCount),
                              "\(NumberText.count(network.trainableParameterCount)) trainable"])
    }
}

extension PracticeBuiltins {
    static func registerEvaluation(in r: BuiltinRegistry) {
        r.addType("Evaluation", doc: "How a model does on a labelled set: accuracy, loss, per-class precision and recall, the confusion matrix.")
        struct Summary: Decodable { var inputShape: [Double]? }
        r.addMethod(on: "Sequential", "summary(inputShape: [Int]? = nil) -> Table",
                    doc: "The layers with their output shapes and parameter counts (trainable or frozen).",
                    example: "model.summary(inputShape: [2])", receiver: ModelObject.self, options: Summary.self) { m, o, _ in
            let shape = try o.inputShape.map { sizes -> [Int] in
                guard sizes.allSatisfy({ $0.isFinite && $0 >= 1 && $0 <= 100_000 }) else {
                    throw CellError.value("inputShape holds sizes from 1 to 100,000, like [224, 224, 3]")
                }
                return sizes.map { Int($0) }
            }
            return .object(TableObject(m.summaryTable(inputShape: shape)))
        }
        r.addMethod(on: "Sequential", "evaluate(_ data: Dataset) -> Evaluation",
                    doc: "Loss, accuracy, per-class precision and recall, and the confusion matrix on a labelled set.",
                    example: "let result = model.evaluate(test)", receiver: ModelObject.self, options: OnData.self) { m, o, _ in
            let data = o.data.object.data
            return .object(EvaluationObject(try m.model(for: data).evaluate(data), samples: data))
        }
        r.addProperty(on: "Evaluation", "accuracy: Double", doc: "The fraction of samples classified correctly.", receiver: EvaluationObject.self) { e, _ in
            return .double(e.evaluation.exactAccuracy)
        }
        r.addProperty(on: "Evaluation", "loss: Double", doc: "The mean cross-entropy loss.", receiver: EvaluationObject.self) { e, _ in
            return .double(Double.readable(e.evaluation.loss))
        }
        r.addProperty(on: "Evaluation", "confusion: [[Int]]", doc: "confusion[actual][predicted]: how many pictures of each class went to each prediction.", receiver: EvaluationObject.self) { e, _ in
            return .array(e.evaluation.confusion.map { .array($0.map { .int($0) }) })
        }
        r.addProperty(on: "Evaluation", "classes: [String]", doc: "The class names, in the order of the confusion matrix.", receiver: EvaluationObject.self) { e, _ in
            return .array(e.evaluation.classNames.map { .string($0) })
        }
        struct Normalized: Decodable { var normalized: Bool }
        r.addMethod(on: "Evaluation", "confusionMatrix(normalized: Bool = false) -> Chart",
                    doc: "Rows are the actual classes, columns the predicted ones; normalized shows shares of each row.",
                    example: "result.confusionMatrix(normalized: true)", receiver: EvaluationObject.self, options: Normalized.self) { e, o, _ in
            return .object(e.confusionChart(normalised: o.normalized))
        }
        r.addMethod(on: "Evaluation", "table() -> Table", doc: "Per-class precision and recall with the overall accuracy and loss.",
                    example: "result.table()", receiver: EvaluationObject.self) { e, _ in
            return .object(TableObject(e.table))
        }
    }
}

extension Double {
    /// The Double a learner reads in the Float: the engine computes in
    /// Float, and `Double(Float(0.4))` prints as 0.4000000059604645. The
    /// shortest text that gives back the Float, read as a Double, prints as
    /// the Float does (0.4).
    static func readable(_ f: Float) -> Double {
        f.isFinite ? Double(f.description) ?? Double(f) : Double(f)
    }
}

