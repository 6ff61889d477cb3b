/// The metadata Model Maker puts in an image classifier (TFLite Support's
/// `metadata_schema.fbs`, file identifier "M001"): a ModelMetadata flatbuffer
/// describing the input (an RGB picture and how to normalise it) and the
/// output (probabilities, with the class names in an associated labels file).
/// The labels file itself is zipped onto the end of the model file.
enum TFLiteMetadata {
    // Field slots (fields in declaration order; a union takes two).
    enum ModelMetadata { static let name = 0, description = 1, version = 2, subgraphs = 3, author = 4, minParserVersion = 7, count = 8 }
    enum SubGraphMetadata { static let name = 0, inputs = 2, outputs = 3, count = 4 }
    enum TensorMetadata { static let name = 0, description = 1, content = 3, processUnits = 4, stats = 5, associatedFiles = 6, count = 7 }
    enum Content { static let propertiesType = 0, properties = 1, count = 3 }
    enum ImageProperties { static let colorSpace = 0, count = 2 }
    enum ProcessUnit { static let optionsType = 0, options = 1, count = 2 }
    enum NormalizationOptions { static let mean = 0, std = 1, count = 2 }
    enum Stats { static let max = 0, min = 1, count = 2 }
    enum AssociatedFile { static let name = 0, description = 1, type = 2, count = 4 }
    /// ContentProperties union members.
    static let featureProperties: UInt8 = 1, imageProperties: UInt8 = 2
    /// ProcessUnitOptions union member.
    static let normalizationOptions: UInt8 = 1
    static let rgb: UInt8 = 1
    static let tensorAxisLabels: Int8 = 2

    static let labelsFile = "labels.txt"

    /// What a reader needs to know about the model's input.
    struct Input {
        var name: String
        var takesPictures: Bool
        var shape: [Int]
        /// The range of the values the input tensor takes (normalised, or as quantized), if known.
        var range: (Float, Float)?
        var normalised: Bool
    }

    /// The ModelMetadata flatbuffer for a classifier of `classes` classes.
    static func encode(name: String, description: String, version: String, input: Input, classes: [String]) -> [UInt8] {
        var f = FlatBufferBuilder()
        func string(_ s: String) -> Int { f.string(s) }

        // Input tensor.
        let inputName = string(input.name)
        let inputDescription = string(input.takesPictures
            ? "Input picture to be classified: \(input.shape[0])×\(input.shape[1]) RGB, each channel a byte 0…255 "
                + (input.normalised ? "normalised as (value − 127.5) / 127.5 (Shoal's pictures lie in [-1, 1])." : "as it is.")
            : "Input features: \(input.shape.map(String.init).joined(separator: "×")) float32 values, as Shoal trained on them.")
        f.startTable(fields: ImageProperties.count)
        if input.takesPictures { f.add(slot: ImageProperties.colorSpace, rgb, default: 0) }
        let properties = f.endTable()
        f.startTable(fields: Content.count)
        f.add(slot: Content.propertiesType, input.takesPictures ? imageProperties : featureProperties, default: 0)
        f.addOffset(slot: Content.properties, properties)
        let inputContent = f.endTable()
        var processUnits: Int?
        if input.normalised {
            let mean = f.vector([Float(127.5)]), std = f.vector([Float(127.5)])
            f.startTable(fields: NormalizationOptions.count)
            f.addOffset(slot: NormalizationOptions.mean, mean)
            f.addOffset(slot: NormalizationOptions.std, std)
            let options = f.endTable()
            f.startTable(fields: ProcessUnit.count)
            f.add(slot: ProcessUnit.optionsType, normalizationOptions, default: 0)
            f.addOffset(slot: ProcessUnit.options, options)
            processUnits = f.vector(offsets: [f.endTable()])
        }
        let inputStats = input.range.map { stats(&f, max: $0.1, min: $0.0) }
        let inputTensor = tensor(&f, name: inputName, description: inputDescription, content: inputContent, processUnits: processUnits,
                                 stats: inputStats)

        // Output tensor, with the labels file.
        let outputName = string("probability")
        let outputDescription = string("Probabilities of the \(classes.count) classes, in the order of \(labelsFile).")
        f.startTable(fields: 0)
        let featureTable = f.endTable()
        f.startTable(fields: Content.count)
        f.add(slot: Content.propertiesType, featureProperties, default: 0)
        f.addOffset(slot: Content.properties, featureTable)
        let outputContent = f.endTable()
        let outputStats = stats(&f, max: 1, min: 0)
        let fileName = string(labelsFile), fileDescription = string("Labels for the classes the model can recognize.")
        f.startTable(fields: AssociatedFile.count)
        f.addOffset(slot: AssociatedFile.name, fileName)
        f.addOffset(slot: AssociatedFile.description, fileDescription)
        f.add(slot: AssociatedFile.type, tensorAxisLabels, default: 0)
        let files = f.vector(offsets: [f.endTable()])
        let outputTensor = tensor(&f, name: outputName, description: outputDescription, content: outputContent, stats: outputStats,
                                  files: files)

        let inputs = f.vector(offsets: [inputTensor]), outputs = f.vector(offsets: [outputTensor])
        f.startTable(fields: SubGraphMetadata.count)
        f.addOffset(slot: SubGraphMetadata.inputs, inputs)
        f.addOffset(slot: SubGraphMetadata.outputs, outputs)
        let subgraph = f.vector(offsets: [f.endTable()])
        let (n, d, v, author, parser) = (string(name), string(description), string(version), string("Shoal"), string("1.0.0"))
        f.startTable(fields: ModelMetadata.count)
        f.addOffset(slot: ModelMetadata.name, n)
        f.addOffset(slot: ModelMetadata.description, d)
        f.addOffset(slot: ModelMetadata.version, v)
        f.addOffset(slot: ModelMetadata.subgraphs, subgraph)
        f.addOffset(slot: ModelMetadata.author, author)
        f.addOffset(slot: ModelMetadata.minParserVersion, parser)
        return f.finish(root: f.endTable(), identifier: "M001")
    }

    /// A TensorMetadata table from the offsets of its parts.
    private static func tensor(_ f: inout FlatBufferBuilder, name: Int, description: Int, content: Int, processUnits: Int? = nil,
                               stats: Int?, files: Int? = nil) -> Int {
        f.startTable(fields: TensorMetadata.count)
        f.addOffset(slot: TensorMetadata.name, name)
        f.addOffset(slot: TensorMetadata.description, description)
        f.addOffset(slot: TensorMetadata.content, content)
        if let processUnits { f.addOffset(slot: TensorMetadata.processUnits, processUnits) }
        if let stats { f.addOffset(slot: TensorMetadata.stats, stats) }
        if let files { f.addOffset(slot: TensorMetadata.associatedFiles, files) }
        return f.endTable()
    }

    private static func stats(_ f: inout FlatBufferBuilder, max: Float, min: Float) -> Int {
        let hi = f.vector([max]), lo = f.vector([min])
        f.startTable(fields: Stats.count)
        f.addOffset(slot: Stats.max, hi)
        f.addOffset(slot: Stats.min, lo)
        return f.endTable()
    }

    /// The labels file: one class name per line.
    static func labels(_ classes: [String]) -> [UInt8] { Array((classes.joined(separator: "\n") + "\n").utf8) }
}

/// A zip archive of stored (uncompressed) files, as Python's `zipfile` writes
/// when it appends to a TFLite model: offsets count from the start of the
/// whole file, so `base` is the length of what comes before the archive.
enum StoredZip {
    static func archive(_ files: [(name: String, data: [UInt8])], base: Int) -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        func u16(_ v: Int, _ a: inout [UInt8]) { a += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
        func u32(_ v: UInt32, _ a: inout [UInt8]) { for i in 0..<4 { a.append(UInt8((v >> (8 * UInt32(i))) & 0xFF)) } }
        // 1980-01-01 00:00, so that the same model gives the same bytes.
        let (time, date) = (0, (0 << 9) | (1 << 5) | 1)
        for file in files {
            let name = Array(file.name.utf8)
            let crc = crc32(file.data), size = UInt32(file.data.count)
            let offset = UInt32(base + out.count)
            u32(0x0403_4B50, &out); u16(20, &out); u16(0, &out); u16(0, &out); u16(time, &out); u16(date, &out)
            u32(crc, &out); u32(size, &out); u32(size, &out); u16(name.count, &out); u16(0, &out)
            out += name
            out += file.data
            u32(0x0201_4B50, &central); u16(20, &central); u16(20, &central); u16(0, &central); u16(0, &central)
            u16(time, &central); u16(date, &central); u32(crc, &central); u32(size, &central); u32(size, &central)
            u16(name.count, &central); u16(0, &central); u16(0, &central); u16(0, &central); u16(0, &central)
            u32(0o100644 << 16, &central); u32(offset, &central)
            central += name
        }
        let centralOffset = UInt32(base + out.count)
        out += central
        u32(0x0605_4B50, &out); u16(0, &out); u16(0, &out); u16(files.count, &out); u16(files.count, &out)
        u32(UInt32(central.count), &out); u32(centralOffset, &out); u16(0, &out)
        return out
    }

    /// CRC-32 (IEEE, reflected), as zip stores it.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
