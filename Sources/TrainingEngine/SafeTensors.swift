import Foundation

/// The safetensors file format (what Python's `safetensors` library reads and
/// writes): an 8-byte little-endian header length, a JSON header naming each
/// tensor's dtype, shape and byte range, optional string metadata under
/// `__metadata__`, then the raw little-endian data.
public enum SafeTensors {
    public struct File {
        public var tensors: [String: Tensor]
        public var metadata: [String: String]
        /// Tensor names in the order of their data.
        public var order: [String]
    }

    public static func encode(_ tensors: [(String, Tensor)], metadata: [String: String]) throws -> Data {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        for (name, t) in tensors {
            guard header[name] == nil, name != "__metadata__" else {
                throw ModelFileError("two tensors are named \(name)")
            }
            header[name] = ["dtype": "F32", "shape": t.shape, "data_offsets": [offset, offset + t.count * 4]] as [String: Any]
            offset += t.count * 4
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        // Pad the header with spaces so the data starts 8-byte aligned.
        while json.count % 8 != 0 { json.append(0x20) }
        var out = Data(capacity: 8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(json)
        for (_, t) in tensors {
            t.withUnsafeBufferPointer { buffer in
                // Float32 is stored little-endian, as on every machine Shoal runs on.
                out.append(UnsafeBufferPointer(start: UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: UInt8.self),
                                               count: buffer.count * 4))
            }
        }
        return out
    }

    public static func write(_ tensors: [(String, Tensor)], metadata: [String: String], to url: URL) throws {
        let data = try encode(tensors, metadata: metadata)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url, options: .atomic)
        } catch {
            throw ModelFileError("cannot write \(url.path): \(error.localizedDescription)")
        }
    }

    public static func read(_ url: URL) throws -> File {
        let data: Data
        do { data = try Data(contentsOf: url, options: .mappedIfSafe) } catch {
            throw ModelFileError("cannot read \(url.path): no such file or not readable")
        }
        return try decode(data, source: url.lastPathComponent)
    }

    public static func decode(_ data: Data, source: String = "the model file") throws -> File {
        func bad(_ why: String) -> ModelFileError { ModelFileError("\(source) is not a valid safetensors file: \(why)") }
        guard data.count >= 8 else { throw bad("it is shorter than its header") }
        let length = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard length <= UInt64(data.count - 8), length < 100_000_000 else { throw bad("its header length is wrong") }
        let headerEnd = 8 + Int(length)
        guard let header = try? JSONSerialization.jsonObject(with: data.subdata(in: 8..<headerEnd)) as? [String: Any] else {
            throw bad("its header is not a JSON object")
        }
        let body = data.count - headerEnd
        var file = File(tensors: [:], metadata: [:], order: [])
        if let meta = header["__metadata__"] {
            guard let m = meta as? [String: String] else { throw bad("__metadata__ must map strings to strings") }
            file.metadata = m
        }
        var ranges: [(String, Int)] = []
        for (name, value) in header where name != "__metadata__" {
            guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
                  let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2
            else { throw bad("the entry for \(name) lacks dtype, shape or data_offsets") }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, begin <= end, end <= body else { throw bad("\(name)'s data lies outside the file") }
            let count = try Tensor.elementCount(shape)
            let width: Int
            switch dtype {
            case "F32": width = 4
            case "F16", "BF16": width = 2
            case "F64": width = 8
            default: throw ModelFileError("\(source): tensor \(name) has dtype \(dtype); Shoal reads F32, F16, BF16 and F64")
            }
            guard end - begin == count * width else { throw bad("\(name) has \(end - begin) bytes for shape \(shapeText(shape))") }
            let t = try Tensor(uninitialized: shape)
            data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                let src = raw.baseAddress! + headerEnd + begin
                let dst = t.pointer
                switch dtype {
                case "F32":
                    for i in 0..<count { dst[i] = Float(bitPattern: UInt32(littleEndian: src.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
                case "F64":
                    for i in 0..<count { dst[i] = Float(Double(bitPattern: UInt64(littleEndian: src.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))) }
                case "F16":
                    for i in 0..<count { dst[i] = halfToFloat(UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) }
                default: // BF16: the top half of a Float32
                    for i in 0..<count { dst[i] = Float(bitPattern: UInt32(UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) << 16) }
                }
            }
            file.tensors[name] = t
            ranges.append((name, begin))
        }
        file.order = ranges.sorted { $0.1 < $1.1 }.map(\.0)
        return file
    }

    static func halfToFloat(_ h: UInt16) -> Float {
        let sign = UInt32(h >> 15) << 31
        let exponent = Int((h >> 10) & 0x1F), mantissa = UInt32(h & 0x3FF)
        if exponent == 0 {
            let value = Float(mantissa) * 0x1p-24
            return sign == 0 ? value : -value
        }
        if exponent == 31 { return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13)) }
        return Float(bitPattern: sign | UInt32(exponent + 112) << 23 | (mantissa << 13))
    }
}

extension Model {
    /// Saves the weights, the architecture, the input shape and the class
    /// names in one safetensors file.
    public func save(to url: URL, metadata extra: [String: String] = [:]) throws {
        try SafeTensors.write(network.namedTensors.map { ($0.name, $0.value) }, metadata: fileMetadata(extra), to: url)
    }

    /// The bytes `save(to:)` writes (for writers that place the file themselves).
    public func safetensors(metadata extra: [String: String] = [:]) throws -> Data {
        try SafeTensors.encode(network.namedTensors.map { ($0.name, $0.value) }, metadata: fileMetadata(extra))
    }

    private func fileMetadata(_ extra: [String: String]) throws -> [String: String] {
        var metadata = extra
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        metadata["format"] = "shoal-model-1"
        metadata["architecture"] = String(decoding: try encoder.encode(network.layers.map(\.spec)), as: UTF8.self)
        metadata["inputShape"] = String(decoding: try encoder.encode(inputShape), as: UTF8.self)
        metadata["classNames"] = String(decoding: try encoder.encode(classNames), as: UTF8.self)
        return metadata
    }

    /// Rebuilds a model saved by `save(to:)`.
    public static func load(from url: URL) throws -> Model {
        let file = try SafeTensors.read(url)
        let decoder = JSONDecoder()
        func field<T: Decodable>(_ key: String, _ type: T.Type) throws -> T {
            guard let text = file.metadata[key], let value = try? decoder.decode(T.self, from: Data(text.utf8)) else {
                throw ModelFileError("\(url.lastPathComponent) has no Shoal \(key) in its metadata; was it saved by Shoal?")
            }
            return value
        }
        let specs = try field("architecture", [LayerSpec].self)
        let model = try Model(network: Sequential(specs: specs), inputShape: field("inputShape", [Int].self),
                              classNames: field("classNames", [String].self))
        try model.loadWeights(file, source: url.lastPathComponent)
        return model
    }

    /// Loads weights into this model from a file with the same layer names and
    /// shapes; nothing changes unless every tensor fits.
    public func loadWeights(from url: URL) throws {
        try loadWeights(SafeTensors.read(url), source: url.lastPathComponent)
    }

    func loadWeights(_ file: SafeTensors.File, source: String) throws {
        let named = network.namedTensors
        for entry in named {
            guard let t = file.tensors[entry.name] else {
                throw ModelFileError("\(source) has no tensor \(entry.name): it was saved from a different model")
            }
            guard t.shape == entry.value.shape else {
                throw ModelFileError("\(source): \(entry.name) has shape \(shapeText(t.shape)) in the file but "
                                     + "\(shapeText(entry.value.shape)) in this model: it was saved from a different model")
            }
        }
        let extra = Set(file.tensors.keys).subtracting(named.map(\.name))
        if let name = extra.sorted().first {
            throw ModelFileError("\(source) has a tensor \(name) this model does not have: it was saved from a different model")
        }
        for entry in named {
            if let t = file.tensors[entry.name] { try Sequential.assign(entry, t) }
        }
    }
}
