/// Inference of an inverted-residual block (MobileNetV2's, EfficientNet's:
/// a 1×1 expansion, a depthwise convolution and a 1×1 projection, each with
/// its batch norm, the first two with a ReLU or ReLU6, and the skip
/// connection when the block has one) one image at a time on each core.
///
/// Layer by layer, a batch's expanded activations (six times the block's
/// channels) go out to memory and come back for the next layer: 154 MB for
/// 32 pictures in EfficientNet-Lite0's second block. One image's stay in the
/// core's cache from the expansion to the projection. The three products and
/// the depthwise kernel are the ones layer-by-layer inference uses, with the
/// batch norms folded in and the activations and the skip connection applied
/// as each result is stored.
struct InvertedResidual {
    let expand: (conv: Conv2D, norm: BatchNorm, clamp: Clamp)?
    let depthwise: (conv: DepthwiseConv2D, norm: BatchNorm, clamp: Clamp)
    let project: (conv: Conv2D, norm: BatchNorm)
    let skips: Bool

    /// The block `layer` is, when it is one these kernels can run: a
    /// `Sequential` or `Residual` of [1×1 Conv2D, BatchNorm, ReLU,]
    /// DepthwiseConv2D, BatchNorm, ReLU, 1×1 Conv2D, BatchNorm, with
    /// multiples of 8 channels out of the products.
    init?(_ layer: Layer) {
        let body: [Layer]
        if let r = layer as? Residual { (body, skips) = (r.body.layers, true) }
        else if let s = layer as? Sequential { (body, skips) = (s.layers, false) }
        else { return nil }
        func pointwise(_ l: Layer) -> Conv2D? {
            guard let c = l as? Conv2D, c.kernelSize == 1, c.stride == 1, Conv2D.runsPointwiseInference(c.outputChannels)
            else { return nil }
            if case .explicit(let p) = c.padding, p != 0 { return nil }
            return c
        }
        func activation(_ l: Layer) -> Clamp? { (l as? ReLU).map { Clamp(cap: $0.cap) } }
        var i = 0
        if body.count == 8 {
            guard let conv = pointwise(body[0]), let norm = body[1] as? BatchNorm, norm.features == conv.outputChannels,
                  let clamp = activation(body[2]) else { return nil }
            expand = (conv, norm, clamp)
            i = 3
        } else if body.count == 5 {
            expand = nil
        } else {
            return nil
        }
        guard let dw = body[i] as? DepthwiseConv2D, let dwNorm = body[i + 1] as? BatchNorm, dwNorm.features == dw.channels,
              let dwClamp = activation(body[i + 2]), let projection = pointwise(body[i + 3]),
              let norm = body[i + 4] as? BatchNorm, norm.features == projection.outputChannels,
              projection.inputChannels == dw.channels, expand.map({ $0.conv.outputChannels == dw.channels }) ?? true
        else { return nil }
        depthwise = (dw, dwNorm, dwClamp)
        project = (projection, norm)
    }

    /// The block's output for `x`, or nil when this way does not apply (a
    /// batch smaller than the cores, or shapes the layers would refuse, which
    /// the layer-by-layer pass then reports).
    func callAsFunction(_ x: Tensor) throws -> Tensor? {
        guard x.rank == 4, Engine.usesNarrowProducts else { return nil }
        let batch = x.shape[0], workers = Engine.workers(x.shape[0])
        guard workers == Engine.threads, batch > 0 else { return nil }
        let inputs = expand?.conv.inputChannels ?? depthwise.conv.channels
        guard x.shape[3] == inputs, let g = try? depthwise.conv.geometry([batch, x.shape[1], x.shape[2], depthwise.conv.channels])
        else { return nil }
        let outputs = project.conv.outputChannels
        if skips, g.outH != x.shape[1] || g.outW != x.shape[2] || outputs != inputs { return nil }
        let hidden = depthwise.conv.channels
        let expanded = try expand.map { try $0.norm.fold(weight: $0.conv.weight.value, bias: $0.conv.bias?.value) }
        let (dwWeight, dwBias) = try depthwise.norm.fold(weight: depthwise.conv.weight.value, bias: depthwise.conv.bias?.value)
        let (projectWeight, projectBias) = try project.norm.fold(weight: project.conv.weight.value, bias: project.conv.bias?.value)
        let out = try Tensor(uninitialized: [batch, g.outH, g.outW, outputs])
        let (inPixels, outPixels) = (g.height * g.width, g.outH * g.outW)
        // Each core's expanded image and depthwise result.
        let scratch = try Tensor(uninitialized: [workers, (expand == nil ? 0 : inPixels * hidden) + outPixels * hidden])
        let frames = try DepthwiseConv2D.frames(g, workers: workers)
        let (xp, op) = (x.pointer, out.pointer)
        Engine.parallelFor(batch, workers: workers) { worker, images in
            let expandedImage = scratch.pointer + worker * (scratch.count / workers)
            let filtered = expandedImage + (expand == nil ? 0 : inPixels * hidden)
            let frame = frames.map { $0.pointer + worker * ($0.count / workers) }
            for n in images {
                let image = xp + n * inPixels * inputs, result = op + n * outPixels * outputs
                var source = UnsafePointer(image)
                if let expand, let (w, b) = expanded {
                    Conv2D.pointwise(rows: inPixels, inputs: inputs, outputs: hidden, image, weight: w.pointer, bias: b.pointer,
                                     clamp: expand.clamp, into: expandedImage)
                    source = UnsafePointer(expandedImage)
                }
                DepthwiseConv2D.infer(source, g, weight: dwWeight.pointer, bias: dwBias.pointer, clamp: depthwise.clamp,
                                      frame: frame, into: filtered)
                if skips { result.update(from: image, count: outPixels * outputs) }
                Conv2D.pointwise(rows: outPixels, inputs: hidden, outputs: outputs, filtered, weight: projectWeight.pointer,
                                 bias: projectBias.pointer, clamp: nil, accumulate: skips, into: result)
            }
        }
        return out
    }
}
