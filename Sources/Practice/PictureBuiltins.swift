import CellIO
import CellLanguage
import Datasets
import Foundation
import Rendering
import TrainingEngine

/// One picture: taken from a dataset (with its class) or read from a file.
/// Models explain and predict it; `showAugmented` shows what training makes of it.
public final class PictureObject: HostObject {
    public let image: RGBImage
    /// The class name when the picture came from a labelled dataset.
    public let label: String?
    /// Where it came from, for captions ("test picture 3", "IMG_0001.jpg").
    public let source: String

    public init(image: RGBImage, label: String?, source: String) { (self.image, self.label, self.source) = (image, label, source) }

    public var typeName: String { "Picture" }
    public var textDescription: String {
        "Picture: \(source), \(image.width)×\(image.height)" + (label.map { ", \($0)" } ?? "")
    }

    var figure: Figure {
        .grid(ImageGrid(images: [GridImage(width: image.width, height: image.height, rgb: image.pixels,
                                           caption: label ?? source)], columns: 1, cellSize: 160))
    }

    /// A caption beside what a model made of it: its class, or where it came from.
    var caption: String { label.map { "actually \($0)" } ?? source }

    public func display() -> Display? { ChartObject(figure).display(text: textDescription) }

    /// The picture as a model's input: cut to a centred square of `side`
    /// pixels and scaled to [-1, 1], shape [1, side, side, 3].
    func input(side: Int) throws -> Tensor {
        let square = image.width == side && image.height == side ? image : try image.square(side)
        return try Tensor(shape: [1, side, side, 3], scalars: square.pixels.map { Float($0) / 127.5 - 1 })
    }

    /// The picture at the size a model looks at, for drawing beside its explanation.
    func resized(side: Int) throws -> RGBImage {
        image.width == side && image.height == side ? image : try image.square(side)
    }
}

extension ChartObject {
    /// The picture, with `text` as its plain-text form (what the object is, not what the chart shows).
    func display(text: String) -> Display? {
        guard var shown = display() else { return nil }
        shown.data["text/plain"] = text
        return shown
    }
}

/// The network and class names behind an `ImageClassifier` or a trained
/// `Sequential` that looks at pictures.
struct PictureModel {
    let model: Model
    var side: Int { model.inputShape[0] }
    var classNames: [String] { model.classNames }

    init(_ classifier: ImageClassifierObject) { model = classifier.full }

    init(_ m: ModelObject, for method: String) throws {
        guard let trained = m.model else {
            throw CellError.value("train the model before calling \(method): its input size and classes come from the data")
        }
        let shape = trained.inputShape
        guard shape.count == 3, shape[2] == 3, shape[0] == shape[1] else {
            throw CellError.value("\(method) works on models of square colour pictures; this model takes samples of shape \(shape)")
        }
        model = trained
    }

    /// The pictures of a dataset this model can look at.
    func check(_ data: LabelledDataset) throws {
        guard data.sampleShape == model.inputShape else {
            throw CellError.value("this model looks at pictures of \(side)×\(side); the dataset's are \(data.sampleShape)")
        }
        guard data.classNames == classNames else {
            throw CellError.value("the data's classes \(data.classNames) are not the model's \(classNames)")
        }
    }
}

/// A picture argument: a `Picture` (such as `test.picture(0)`) or the path of
/// a photo, read when the builtin runs (through the sandbox), with problems
/// reported under the argument.
struct PictureArgument: Decodable {
    enum Source { case picture(PictureObject), path(String) }
    let source: Source
    let range: SourceRange

    init(from decoder: Decoder) throws {
        range = decoder.argumentRange
        switch try decoder.singleValueContainer().decode(Value.self) {
        case .object(let o as PictureObject): source = .picture(o)
        case .string(let path): source = .path(path)
        case let v:
            throw CellError(.typeError, "expected a Picture (such as test.picture(0)) or the path of a photo, not '\(v.typeName)'", at: range)
        }
    }

    /// The picture, a photo decoded at no less than `side` pixels: a clear
    /// FileError when the file is missing, a folder or not a picture.
    func picture(_ rt: Runtime, side: Int = 224) throws -> PictureObject {
        switch source {
        case .picture(let p): return p
        case .path(let path):
            let url = try PracticeBuiltins.allowedPath(path, rt)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
                throw CellError(.fileError, "there is no file \(path)", at: range)
            }
            guard !isFolder.boolValue else { throw CellError(.fileError, "\(path) is a folder, not a picture", at: range) }
            do {
                return PictureObject(image: try ImageDecoder.decode(file: url, minimumSide: side), label: nil, source: url.lastPathComponent)
            } catch let e as ImageError {
                throw CellError(.fileError, "\(path) cannot be read as a picture: \(e.message)", at: range)
            }
        }
    }
}

extension PracticeBuiltins {
    static func registerPictures(in r: BuiltinRegistry) {
        r.addType("Picture", doc: "One picture, from a dataset (with its class) or from a file: explain it, predict it, augment it.")
        struct Index: Decodable { var index: Int }
        r.addMethod(on: "Dataset", "picture(_ index: Int) -> Picture",
                    doc: "One picture of the dataset with its class (0 is the first).",
                    example: "let photo = test.picture(0)", receiver: DatasetObject.self, options: Index.self) { d, o, _ in
            let (data, i) = (d.data, o.index)
            guard data.sampleShape.count == 3, data.sampleShape[2] == 3 else {
                throw CellError.value("picture(_:) needs a dataset of colour pictures; these samples have shape \(data.sampleShape)")
            }
            guard (0..<data.count).contains(i) else {
                throw CellError(.indexError, "picture \(i) is out of range: the dataset has \(NumberText.count(data.count, "picture")) (0 to \(data.count - 1))")
            }
            return .object(PictureObject(image: try data.image(i), label: data.classNames[data.labels[i]], source: "picture \(i)"))
        }
        struct Path: Decodable { var path: PictureArgument }
        r.addFunction("Picture(_ path: String) -> Picture",
                      doc: "A photo read from a JPEG or PNG file.",
                      example: "let photo = Picture(\"my-fish-photos/perch/IMG_0001.jpg\")", options: Path.self) { o, rt in
            .object(try o.path.picture(rt))
        }
        r.addProperty(on: "Picture", "label: String", doc: "The picture's class (empty when it was read from a file).",
                      receiver: PictureObject.self) { p, _ in
            .string(p.label ?? "")
        }
    }
}
