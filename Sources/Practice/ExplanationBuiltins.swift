import CellIO
import CellLanguage
import Datasets
import Foundation
import Rendering
import TrainingEngine

/// What a model makes of one photo: its most likely classes with their
/// probabilities. Shown as the picture beside a bar chart of the top
/// classes; `let (species, confidence) = prediction` takes it apart.
public final class PredictionObject: HostObject, TupleConvertible {
    let image: RGBImage
    let source: String
    let top: [(name: String, probability: Double)]

    init(image: RGBImage, source: String, top: [(name: String, probability: Double)]) {
        (self.image, self.source, self.top) = (image, source, top)
    }

    public var typeName: String { "Prediction" }
    var species: String { top.first?.name ?? "" }
    var probability: Double { top.first?.probability ?? 0 }

    public var textDescription: String {
        "\(species) (\(NumberText.percent(probability)))"
            + (top.count > 1 ? "; then " + top.dropFirst().map { "\($0.name) \(NumberText.percent($0.probability))" }.joined(separator: ", ") : "")
    }

    public var tupleValue: TupleValue { TupleValue([.string(species), .double(probability)]) }

    var figure: Figure {
        .row([.grid(ImageGrid(images: [GridImage(width: image.width, height: image.height, rgb: image.pixels, caption: source)],
                              columns: 1, cellSize: 220)),
              .bar(BarChart(title: "The model says \(species)", xLabel: "probability", yLabel: "",
                            categories: top.map(\.name), series: [(name: "probability", values: top.map(\.probability))],
                            horizontal: true, percent: true))])
    }

    public func display() -> Display? { ChartObject(figure).display(text: textDescription) }
}

extension PracticeBuiltins {
    /// Grad-CAM of `inputs` [n, side, side, 3] on the model, each map laid
    /// over its picture at the model's size. A network without a convolution
    /// gets what to do instead.
    static func explained(_ m: PictureModel, _ inputs: Tensor, classes: [Int]? = nil, for method: String) throws -> (GradCAMResult, [[UInt8]]) {
        let result: GradCAMResult
        do {
            result = try GradCAM.explain(m.model.network, inputShape: m.model.inputShape, inputs: inputs, classes: classes,
                                         score: .logProbability)
        } catch is NotExplainable {
            throw CellError.value("\(method) needs a network with convolutional layers (Conv2D) that look at the picture, and this one "
                                  + "has none: it sees the pixels only as a list of numbers. Look at what it gets wrong with "
                                  + "model.evaluate(test).topLosses() instead, or use an ImageClassifier, which is convolutional")
        }
        let side = m.side, per = side * side * 3
        let overlays = try result.maps.indices.map { i -> [UInt8] in
            let heat = GradCAM.resize(result.maps[i], height: result.mapHeight, width: result.mapWidth, toHeight: side, toWidth: side)
            let pixels = try inputs.slice(i..<(i + 1)).scalars.prefix(per).map { UInt8(max(0, min(255, (($0 + 1) * 127.5).rounded()))) }
            return try HeatOverlay.blend(rgb: Array(pixels), heat: heat)
        }
        return (result, overlays)
    }

    static func className(_ name: String, _ m: PictureModel) throws -> Int {
        guard let c = m.classNames.firstIndex(of: name) else {
            throw CellError.value("the model knows no class \"\(name)\"; its classes are \(m.classNames.joined(separator: ", "))")
        }
        return c
    }

    /// A method of both picture models, `ImageClassifier` and a trained
    /// `Sequential`, with its arguments decoded into `O`.
    static func addPictureMethod<O: Decodable>(_ r: BuiltinRegistry, _ declaration: String, doc: String, example: String, options: O.Type,
                                               _ impl: @escaping (PictureModel, O, Runtime) throws -> Value) {
        let name = String(declaration.prefix { $0 != "(" })
        r.addMethod(on: "ImageClassifier", declaration, doc: doc, example: example, receiver: ImageClassifierObject.self,
                    options: O.self) { c, o, rt in try impl(PictureModel(c), o, rt) }
        r.addMethod(on: "Sequential", declaration, doc: doc, example: example, receiver: ModelObject.self,
                    options: O.self) { m, o, rt in try impl(try PictureModel(m, for: name), o, rt) }
    }

    /// `model.explain(picture, species:)`: the picture beside its heat map.
    static func explain(_ m: PictureModel, _ picture: PictureObject, species: String?) throws -> Value {
        let wanted = try species.map { try className($0, m) }
        let (result, overlays) = try explained(m, try picture.input(side: m.side), classes: wanted.map { [$0] }, for: "explain")
        let p = result.probabilities.scalars
        let best = p.indices.max { p[$0] < p[$1] } ?? 0
        let shown = result.classes[0]
        let image = try picture.resized(side: m.side)
        let title = "The model says \(m.classNames[best]) (\(NumberText.percent(Double(p[best]))))"
        let heatCaption = shown == best ? "where it saw \(m.classNames[shown])"
            : "evidence for \(m.classNames[shown]) (\(NumberText.percent(Double(p[shown]))))"
        let grid = ImageGrid(title: title, images: [
            GridImage(width: m.side, height: m.side, rgb: image.pixels, caption: picture.caption),
            GridImage(width: m.side, height: m.side, rgb: overlays[0], caption: heatCaption),
        ], columns: 2, cellSize: 200, legend: HeatOverlay.legend)
        return .object(ChartObject(.grid(grid)))
    }

    /// `model.showExplained(data, count:, columns:)`: a grid of heat maps, captioned predicted / actual.
    static func showExplained(_ m: PictureModel, _ data: LabelledDataset, count wanted: Int, columns: Int) throws -> Value {
        try m.check(data)
        let count = min(max(wanted, 1), data.count, 100)
        let sample = try data.subset(Array(0..<count))
        let (result, overlays) = try explained(m, sample.inputs, for: "showExplained")
        let p = result.probabilities, k = m.classNames.count
        let images = (0..<count).map { i -> GridImage in
            let (predicted, actual) = (result.classes[i], sample.labels[i])
            let caption = "\(m.classNames[predicted]) / \(m.classNames[actual])\n"
                + "p(\(m.classNames[predicted])) \(NumberText.percent(Double(p[flat: i * k + predicted])))"
            return GridImage(width: m.side, height: m.side, rgb: overlays[i], caption: caption, frame: predicted == actual ? .right : .wrong)
        }
        let wrong = zip(result.classes, sample.labels).filter { $0 != $1 }.count
        return .object(ChartObject(.grid(ImageGrid(title: "Where the model looked (predicted / actual): \(wrong) of \(count) wrong",
                                                   images: images, columns: max(1, columns), cellSize: 120, legend: HeatOverlay.legend))))
    }

    /// `model.predict(picture, top:)`: the most likely classes, shown beside the photo.
    static func predict(_ m: PictureModel, _ picture: PictureObject, top k: Int) throws -> Value {
        guard k >= 1 else { throw CellError.value("top must be at least 1") }
        let p = try m.model.probabilities(try picture.input(side: m.side)).scalars
        let order = p.indices.sorted { p[$0] > p[$1] }.prefix(k)
        return .object(PredictionObject(image: try picture.resized(side: m.side), source: picture.caption,
                                        top: order.map { (m.classNames[$0], Double.readable(p[$0])) }))
    }

    static func registerExplanations(in r: BuiltinRegistry) {
        r.addType("Prediction", doc: "A model's most likely classes for one photo, with their probabilities; shown beside the photo.")
        struct Explain: Decodable { var picture: PictureArgument, species: String? }
        addPictureMethod(r, "explain(_ picture: Any, species: String? = nil) -> Chart",
                         doc: "Where the model looked to decide (Grad-CAM): a heat map over the picture, hot where the evidence for its "
                             + "answer (or for `species`) lies. Works on a Picture or a photo's path, frozen or fine-tuned.",
                         example: "model.explain(test.picture(0))", options: Explain.self) { m, o, rt in
            try explain(m, try o.picture.picture(rt, side: m.side), species: o.species)
        }
        struct ShowExplained: Decodable { var data: HostArgument<DatasetObject>, count: Int, columns: Int }
        addPictureMethod(r, "showExplained(_ data: Dataset, count: Int = 12, columns: Int = 4) -> Chart",
                         doc: "The first pictures of a dataset, each with the heat map of where the model looked, captioned "
                             + "predicted / actual and the probability; right ones framed green, wrong ones in dashed red.",
                         example: "model.showExplained(test, count: 12)", options: ShowExplained.self) { m, o, _ in
            try showExplained(m, o.data.object.data, count: o.count, columns: o.columns)
        }
        struct Predict: Decodable { var picture: PictureArgument, top: Int }
        addPictureMethod(r, "predict(_ picture: Any, top: Int = 3) -> Prediction",
                         doc: "The class of one photo (a path or a Picture) and how sure the model is (0 to 1), shown as the photo beside "
                             + "a bar chart of its `top` most likely classes. `let (species, confidence) = model.predict(path)` takes it apart.",
                         example: "model.predict(\"my-fish-photos/perch/IMG_0001.jpg\")", options: Predict.self) { m, o, rt in
            try predict(m, try o.picture.picture(rt, side: m.side), top: o.top)
        }
        r.addMethod(on: "Prediction", "plot() -> Chart", doc: "The photo beside a bar chart of its most likely classes.",
                    example: "model.predict(path).plot().save(\"prediction.png\")", receiver: PredictionObject.self) { p, _ in
            .object(ChartObject(p.figure))
        }
        r.addProperty(on: "Prediction", "species: String", doc: "The most likely class.", receiver: PredictionObject.self) { p, _ in
            .string(p.species)
        }
        r.addProperty(on: "Prediction", "probability: Double", doc: "How sure the model is of it, 0 to 1.", receiver: PredictionObject.self) { p, _ in
            .double(p.probability)
        }
        r.addProperty(on: "Prediction", "top: [(String, Double)]", doc: "The most likely classes with their probabilities, most likely first.",
                      receiver: PredictionObject.self) { p, _ in
            .array(p.top.map { .tuple(TupleValue([.string($0.name), .double($0.probability)])) })
        }
    }
}
