// The engine's side of `make bench`: training throughput of the two models
// of issue 4 at batch 64 with SGD, and sgemm GFLOP/s. Prints one JSON object
// per measurement; benchmarks/engine.py runs torch in the same run and
// prints the comparison lines.
import Foundation
import Datasets
@testable import TrainingEngine

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

func emit(_ fields: [String: Any]) {
    if let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]) {
        print(String(decoding: data, as: UTF8.self))
    }
}

func makeModel(_ kind: String, random: inout EngineRandom) throws -> (Model, [Int]) {
    switch kind {
    case "mlp":
        let net = Sequential([try Dense(784, 256, random: &random), ReLU(), try Dense(256, 128, random: &random), ReLU(),
                              try Dense(128, 10, random: &random)])
        return (try Model(network: net, inputShape: [784], classNames: (0..<10).map(String.init)), [784])
    default:
        let net = Sequential([
            try Conv2D(3, 16, kernelSize: 3, padding: .explicit(1), random: &random), ReLU(), try MaxPool(size: 2),
            try Conv2D(16, 32, kernelSize: 3, padding: .explicit(1), random: &random), ReLU(), try MaxPool(size: 2),
            Flatten(), try Dense(2048, 64, random: &random), ReLU(), try Dense(64, 10, random: &random),
        ])
        return (try Model(network: net, inputShape: [32, 32, 3], classNames: (0..<10).map(String.init)), [32, 32, 3])
    }
}

/// Training images per second: a warm-up epoch, then the best of three timed epochs.
func trainingThroughput(_ kind: String, samples: Int) throws -> Double {
    var random = EngineRandom(seed: 1)
    let (model, shape) = try makeModel(kind, random: &random)
    let inputs = try Tensor(shape: [samples] + shape) { _ in random.uniform(-1, 1) }
    let data = try LabelledDataset(inputs: inputs, labels: (0..<samples).map { $0 % 10 }, classNames: model.classNames)
    let sgd = try SGD(learningRate: 0.01)
    _ = try model.fit(data, epochs: 1, batchSize: 64, optimizer: sgd)
    var best = 0.0
    for _ in 0..<3 {
        let t0 = now()
        _ = try model.fit(data, epochs: 1, batchSize: 64, optimizer: sgd)
        best = max(best, Double(samples) / (now() - t0))
    }
    return best
}

func sgemmGFLOPS(_ n: Int) throws -> Double {
    var random = EngineRandom(seed: 2)
    let a = try Tensor(shape: [n, n]) { _ in random.uniform(-1, 1) }
    let b = try Tensor(shape: [n, n]) { _ in random.uniform(-1, 1) }
    _ = try a.matmul(b)
    var best = Double.infinity
    for _ in 0..<5 {
        let t0 = now()
        _ = try a.matmul(b)
        best = min(best, now() - t0)
    }
    return 2 * Double(n * n * n) / best / 1e9
}

let arguments = CommandLine.arguments.dropFirst()
let threads = arguments.first.flatMap(Int.init) ?? 2
BLAS.threads = threads
/// EfficientNet-Lite0 inference at 224×224, batch 32: images per second (random weights when none are installed).
func efficientNetThroughput() throws -> Double {
    let (network, _) = try EfficientNetLite0.make()
    var random = EngineRandom(seed: 5)
    let x = try Tensor(shape: [32, 224, 224, 3]) { _ in random.uniform(-1, 1) }
    _ = try network.forward(x, training: false)
    var best = 0.0
    for _ in 0..<3 {
        let t0 = now()
        _ = try network.forward(x, training: false)
        best = max(best, 32 / (now() - t0))
    }
    return best
}

/// SHOAL_BENCH_ONLY=finetune: EfficientNet-Lite0 (random weights) with a
/// three-class head, its top two blocks, the 1×1 head convolution with its
/// batch norm and the classifier trainable, the rest frozen, trained with SGD
/// at batch 32 on 224-pixel pictures: images per second (a warm-up epoch,
/// then the best of three).
func fineTuningThroughput(samples: Int = 64) throws -> Double {
    let (network, _) = try EfficientNetLite0.make(classes: 3, seed: 7)
    let backbone = Array(network.layers.prefix(EfficientNetLite0.featureLayers))
    for layer in backbone { layer.isFrozen = true }
    // From the top: the head's batch norm, its 1×1 convolution, blocks 16 and 15.
    for layer in backbone.filter({ !$0.parameters.isEmpty }).suffix(4) { layer.isFrozen = false }
    var random = EngineRandom(seed: 8)
    let inputs = try Tensor(shape: [samples, 224, 224, 3]) { _ in random.uniform(-1, 1) }
    let model = try Model(network: network, inputShape: [224, 224, 3], classNames: ["a", "b", "c"])
    let data = try LabelledDataset(inputs: inputs, labels: (0..<samples).map { $0 % 3 }, classNames: model.classNames)
    let sgd = try SGD(learningRate: 0.01)
    _ = try model.fit(data, epochs: 1, batchSize: 32, optimizer: sgd)
    var best = 0.0
    for _ in 0..<3 {
        let t0 = now()
        _ = try model.fit(data, epochs: 1, batchSize: 32, optimizer: sgd)
        best = max(best, Double(samples) / (now() - t0))
    }
    return best
}

/// SHOAL_BENCH_ONLY=efficientnet-layers: where EfficientNet-Lite0's inference
/// at batch 32 (SHOAL_BENCH_BATCH=n for another) spends its time, by kind of
/// layer (the network's own fused inference, block by block, best of three per block).
func efficientNetProfile() throws {
    let (network, _) = try EfficientNetLite0.make()
    var random = EngineRandom(seed: 5)
    let batch = ProcessInfo.processInfo.environment["SHOAL_BENCH_BATCH"].flatMap { Int($0) } ?? 32
    var h = try Tensor(shape: [batch, 224, 224, 3]) { _ in random.uniform(-1, 1) }
    // The stem (convolution, batch norm, ReLU6) as one step, then each block.
    let steps: [(String, Sequential)] = [("stem", Sequential(Array(network.layers[0..<3])))]
        + network.layers[3..<network.layers.count].enumerated().map { i, l in
            ("\(i + 3) \(l is Residual ? "residual " : "")\((l as? Residual)?.body.layers.map(\.name).joined(separator: ", ") ?? ((l as? Sequential)?.layers.map(\.name).joined(separator: ", ") ?? l.name))",
             Sequential([l]))
        }
    var total = 0.0
    for (name, step) in steps {
        var best = Double.infinity
        var out = h
        for _ in 0..<3 {
            let t0 = now()
            out = try step.forward(h, training: false)
            best = min(best, now() - t0)
        }
        total += best
        print(String(format: "%8.1f ms  ", best * 1e3) + "\(shapeText(Array(h.shape.dropFirst())))  \(name)")
        h = out
    }
    print(String(format: "%8.1f ms  total, %.1f images/s", total * 1e3, Double(batch) / total))
}

/// SHOAL_BENCH_ONLY=gradcam: one Grad-CAM explanation of one 224-pixel
/// drawn fish by EfficientNet-Lite0 with a three-class head (its forward
/// pass, the gradient back to the last feature map, the map, resized to 224),
/// best of 20 after a warm-up: milliseconds.
func gradCAMMilliseconds() throws -> Double {
    let (network, _) = try EfficientNetLite0.make(classes: 3, seed: 6)
    let x = try SyntheticFish.dataset(perClass: 1, imageSize: 224, seed: 9).inputs.slice(0..<1)
    func once() throws {
        let result = try GradCAM.explain(network, inputShape: [224, 224, 3], inputs: x, score: .logProbability)
        _ = GradCAM.resize(result.maps[0], height: result.mapHeight, width: result.mapWidth, toHeight: 224, toWidth: 224)
    }
    try once()
    var best = Double.infinity
    for _ in 0..<20 {
        let t0 = now()
        try once()
        best = min(best, now() - t0)
    }
    return best * 1000
}

/// Decoding and resizing a folder of photos to 224×224 (SHOAL_BENCH_FOLDER): images per second.
func decodeThroughput(_ folder: String) throws -> Double {
    var best = 0.0
    for _ in 0..<3 {
        let t0 = now()
        let loaded = try ImageFolder.load(URL(fileURLWithPath: folder), imageSize: 224)
        best = max(best, Double(loaded.dataset.count) / (now() - t0))
    }
    return best
}

/// SHOAL_BENCH_ONLY=narrow: the convolutions' window products on one core,
/// the engine's narrow kernels against OpenBLAS, in GFLOP/s.
func narrowProducts() throws {
    var random = EngineRandom(seed: 9)
    let shapes: [(String, Int, Int, Int)] = [("conv1 fwd", 32 * 1024, 16, 27), ("conv2 fwd", 32 * 256, 32, 144),
                                            ("conv2 dx", 32 * 256, 144, 32)]
    for (name, m, n, k) in shapes {
        let a = try Tensor(shape: [m, k]) { _ in random.uniform(-1, 1) }
        let b = try Tensor(shape: [k, n]) { _ in random.uniform(-1, 1) }
        let c1 = try Tensor(zeros: [m, n]), c2 = try Tensor(zeros: [m, n])
        compare(name, flops: 2 * Double(m * n * k), c1, c2, narrow: {
            Narrow.multiply(m: m, n: n, k: k, a: a.pointer, lda: k, b: b.pointer, ldb: n, c: c1.pointer, ldc: n, accumulate: false)
        }, blas: {
            BLAS.sgemm(transA: false, transB: false, m: m, n: n, k: k, a: a.pointer, lda: k, b: b.pointer, ldb: n,
                       beta: 0, c: c2.pointer, ldc: n)
        })
    }
    for (name, r, m, n) in [("conv1 dw", 32 * 1024, 27, 16), ("conv2 dw", 32 * 256, 144, 32)] {
        let a = try Tensor(shape: [r, m]) { _ in random.uniform(-1, 1) }
        let b = try Tensor(shape: [r, n]) { _ in random.uniform(-1, 1) }
        let c1 = try Tensor(zeros: [m, n]), c2 = try Tensor(zeros: [m, n])
        compare(name, flops: 2 * Double(r * m * n), c1, c2, narrow: {
            Narrow.multiplyTransposedA(r: r, m: m, n: n, a: a.pointer, lda: m, b: b.pointer, ldb: n, c: c1.pointer, ldc: n,
                                       accumulate: false)
        }, blas: {
            BLAS.sgemm(transA: true, transB: false, m: m, n: n, k: r, a: a.pointer, lda: m, b: b.pointer, ldb: n,
                       beta: 0, c: c2.pointer, ldc: n)
        })
    }
}

/// Times both products (best of 7, alternating) and prints their rates and
/// how far apart their results are.
func compare(_ name: String, flops: Double, _ c1: Tensor, _ c2: Tensor, narrow: () -> Void, blas: () -> Void) {
    var best = (narrow: Double.infinity, blas: Double.infinity)
    for _ in 0..<7 {
        var t0 = now()
        narrow()
        best.narrow = min(best.narrow, now() - t0)
        t0 = now()
        blas()
        best.blas = min(best.blas, now() - t0)
    }
    var err: Float = 0
    for i in 0..<c1.count { err = max(err, abs(c1.pointer[i] - c2.pointer[i])) }
    let g = flops / 1e9
    print(name, String(format: "narrow %.1f GFLOP/s  blas %.1f GFLOP/s  max diff %.1e", g / best.narrow, g / best.blas, err))
}

/// SHOAL_BENCH_ONLY=conv: the CNN's two convolutions at batch 64, best of 20:
/// forward, weight gradient alone, and weight and input gradients.
func convolutionParts() throws {
    var random = EngineRandom(seed: 4)
    for (cin, cout, size) in [(3, 16, 32), (16, 32, 16)] {
        let conv = try Conv2D(cin, cout, kernelSize: 3, padding: .explicit(1), random: &random)
        let x = try Tensor(shape: [64, size, size, cin]) { _ in random.uniform(-1, 1) }
        let gy = try Tensor(shape: [64, size, size, cout]) { _ in random.uniform(-1, 1) }
        var best = [Double](repeating: .infinity, count: 3)
        for _ in 0..<20 {
            var t0 = now()
            _ = try conv.forward(x, training: true)
            best[0] = min(best[0], now() - t0)
            t0 = now()
            _ = try conv.backward(gy, needInputGradient: false)
            best[1] = min(best[1], now() - t0)
            _ = try conv.forward(x, training: true)
            t0 = now()
            _ = try conv.backward(gy, needInputGradient: true)
            best[2] = min(best[2], now() - t0)
        }
        print("Conv2D(\(cin), \(cout)) on \(size)×\(size):",
              String(format: "forward %.3f ms, weight gradient %.3f ms, with input gradient %.3f ms", best[0] * 1e3, best[1] * 1e3, best[2] * 1e3))
    }
}

let only = ProcessInfo.processInfo.environment["SHOAL_BENCH_ONLY"]
// SHOAL_BENCH_AVX2=1: the products on AVX2 only, even where the processor has AVX-512.
if ProcessInfo.processInfo.environment["SHOAL_BENCH_AVX2"] != nil { Engine.usesWideProducts = false }
// SHOAL_BENCH_DISPATCH=1: parallel sections through Dispatch alone, without the engine's spinning helpers.
if ProcessInfo.processInfo.environment["SHOAL_BENCH_DISPATCH"] != nil { Engine.usesWorkerPool = false }
do {
    if only == "conv" { try convolutionParts(); exit(0) }
    if only == "fork" {
        var best = Double.infinity
        for _ in 0..<5 {
            let t0 = now()
            for _ in 0..<10_000 { Engine.parallelFor(2, workers: 2) { _, _ in } }
            best = min(best, (now() - t0) / 10_000)
        }
        print(String(format: "parallelFor over 2 cores, empty: %.1f µs", best * 1e6))
        exit(0)
    }
    if only == "narrow" { BLAS.threads = 1; try narrowProducts(); exit(0) }
    if only == "decode", let folder = ProcessInfo.processInfo.environment["SHOAL_BENCH_FOLDER"] {
        emit(["name": "decode", "images_per_second": try decodeThroughput(folder)]); exit(0)
    }
    if only == "efficientnet" { emit(["name": "efficientnet", "images_per_second": try efficientNetThroughput()]); exit(0) }
    if only == "finetune" { emit(["name": "finetune", "images_per_second": try fineTuningThroughput()]); exit(0) }
    if only == "efficientnet-layers" { try efficientNetProfile(); exit(0) }
    if only == "gradcam" { emit(["name": "gradcam", "milliseconds": try gradCAMMilliseconds()]); exit(0) }
    if only == "step" {
        // The CNN's forward and backward pass through the network at batch 64,
        // best of 100: on a busy machine the best step is steadier than an epoch.
        var random = EngineRandom(seed: 3)
        let (model, shape) = try makeModel("cnn", random: &random)
        let x = try Tensor(shape: [64] + shape) { _ in random.uniform(-1, 1) }
        var best = Double.infinity
        for _ in 0..<100 {
            let t0 = now()
            let y = try model.network.forward(x, training: true, needsInputGradient: false)
            _ = try model.network.backward(try Tensor(repeating: 0.01, shape: y.shape), needInputGradient: false)
            best = min(best, now() - t0)
        }
        emit(["name": "step", "milliseconds": best * 1e3]); exit(0)
    }
    if only == "cnn" { emit(["name": "cnn", "images_per_second": try trainingThroughput("cnn", samples: 64 * 60)]); exit(0) }
    emit(["name": "sgemm", "gflops": try sgemmGFLOPS(1024), "threads": threads])
    emit(["name": "mlp", "images_per_second": try trainingThroughput("mlp", samples: 64 * 200)])
    emit(["name": "cnn", "images_per_second": try trainingThroughput("cnn", samples: 64 * 20)])
} catch {
    FileHandle.standardError.write(Data("engine bench failed: \(error)\n".utf8))
    exit(1)
}

// SHOAL_BENCH_LAYERS=1: where a CNN training step spends its time, layer by layer, in the order they run.
if ProcessInfo.processInfo.environment["SHOAL_BENCH_LAYERS"] != nil {
    var random = EngineRandom(seed: 3)
    let (model, shape) = try makeModel("cnn", random: &random)
    let x = try Tensor(shape: [64] + shape) { _ in random.uniform(-1, 1) }
    let layers = model.network.layers
    let order = model.network.executionOrder
    var fwd = [Double](repeating: 0, count: layers.count), bwd = fwd
    var step = 0.0
    for _ in 0..<50 {
        let s0 = now()
        var h = x
        for i in order { let t0 = now(); h = try layers[i].forward(h, training: true); fwd[i] += now() - t0 }
        var g = try Tensor(repeating: 0.01, shape: h.shape)
        for i in order.reversed() {
            let t0 = now(); g = try layers[i].backward(g, needInputGradient: i > 0) ?? g; bwd[i] += now() - t0
        }
        step += now() - s0
    }
    print(String(format: "forward and backward of one batch of 64, layer by layer: %.3f ms", step * 20))
    var whole = Double.infinity
    for _ in 0..<50 {
        let t0 = now()
        let y = try model.network.forward(x, training: true)
        _ = try model.network.backward(try Tensor(repeating: 0.01, shape: y.shape), needInputGradient: false)
        whole = min(whole, now() - t0)
    }
    print(String(format: "the same through the network (max pool and ReLU in one pass), best: %.3f ms", whole * 1e3))
    for i in order {
        let l = layers[i]
        print(l.name.padding(toLength: 20, withPad: " ", startingAt: 0), String(format: "fwd %.3f ms  bwd %.3f ms", fwd[i] * 20, bwd[i] * 20))
    }
}
