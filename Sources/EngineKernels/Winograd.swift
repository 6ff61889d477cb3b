/// The transforms of Winograd's minimal filtering F(2×2, 3×3) for a 3×3,
/// stride-1 convolution (Lavin and Gray, "Fast Algorithms for Convolutional
/// Neural Networks", 2016): each 2×2 block of output pixels (a tile) comes
/// from the 4×4 block of padded input around it as
///
///     Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A
///
/// summed over input channels, so a tile costs 16 multiplications per input
/// and output channel instead of 36. The sum over channels is 16 ordinary
/// products, one per position ξ of the 4×4 block: M[ξ] = V[ξ] · U[ξ] with
/// V[ξ] [tiles, inputs] the transformed input and U[ξ] [inputs, outputs] the
/// transformed weights, which the caller runs on `NarrowProducts`. The
/// backward pass uses the same products transposed: the weight gradient is
/// Σ V[ξ]ᵀ · dM[ξ] turned back by Gᵀ · G, the input gradient dM[ξ] · U[ξ]ᵀ
/// turned back by B · Bᵀ (the adjoints of the forward transforms).
///
/// Layouts (row-major Float32, channels a multiple of 8, vectorised over them):
/// weights [3, 3, inputs, outputs]; U [16, inputs, outputs]; an image padded
/// to (2 · tilesH + 2) × (2 · tilesW + 2) pixels; V and M [16, tiles, channels]
/// with tile t = ty · tilesW + tx, planes `planeStride` apart; outputs [2 · tilesH, 2 · tilesW, channels].
///
/// Complexity: every transform is O(tiles · channels) (O(inputs · outputs) for the weights).
public enum WinogradKernels {
    /// How far apart V's (and M's) 16 planes lie, in floats: whole cache lines
    /// and one more, so that a tile's 16 values do not all fall into the same
    /// set of the first-level cache (planes of 4 or 8 KiB would).
    public static func planeStride(tiles: Int, channels: Int) -> Int { (tiles * channels + 15) / 16 * 16 + 16 }

    /// U[ξ] = G g Gᵀ for every input and output channel, from `weights` [3, 3, inputs, outputs].
    public static func transformWeights(_ weights: UnsafePointer<Float>, inputs: Int, outputs: Int,
                                        into u: UnsafeMutablePointer<Float>) {
        let plane = inputs * outputs
        for i in 0..<inputs {
            var o = 0
            while o < outputs {
                let at = i * outputs + o
                func g(_ r: Int, _ s: Int) -> W8 { load(weights + (r * 3 + s) * plane + at) }
                // G · g, column by column, then · Gᵀ row by row.
                let c0 = filter(g(0, 0), g(1, 0), g(2, 0)), c1 = filter(g(0, 1), g(1, 1), g(2, 1))
                let c2 = filter(g(0, 2), g(1, 2), g(2, 2))
                func put(_ r: (W8, W8, W8, W8), _ a: Int) {
                    store(r.0, u + (4 * a) * plane + at); store(r.1, u + (4 * a + 1) * plane + at)
                    store(r.2, u + (4 * a + 2) * plane + at); store(r.3, u + (4 * a + 3) * plane + at)
                }
                put(filter(c0.0, c1.0, c2.0), 0); put(filter(c0.1, c1.1, c2.1), 1)
                put(filter(c0.2, c1.2, c2.2), 2); put(filter(c0.3, c1.3, c2.3), 3)
                o += 8
            }
        }
    }

    /// The weight gradient [3, 3, inputs, outputs] from dU [16, inputs, outputs]: Gᵀ dU G.
    public static func weightGradient(_ du: UnsafePointer<Float>, inputs: Int, outputs: Int,
                                      into dw: UnsafeMutablePointer<Float>) {
        let plane = inputs * outputs
        for i in 0..<inputs {
            var o = 0
            while o < outputs {
                let at = i * outputs + o
                func d(_ a: Int, _ b: Int) -> W8 { load(du + (4 * a + b) * plane + at) }
                // Gᵀ · dU, column by column, then · G row by row.
                let c0 = filterAdjoint(d(0, 0), d(1, 0), d(2, 0), d(3, 0))
                let c1 = filterAdjoint(d(0, 1), d(1, 1), d(2, 1), d(3, 1))
                let c2 = filterAdjoint(d(0, 2), d(1, 2), d(2, 2), d(3, 2))
                let c3 = filterAdjoint(d(0, 3), d(1, 3), d(2, 3), d(3, 3))
                func put(_ r: (W8, W8, W8), _ row: Int) {
                    store(r.0, dw + (row * 3) * plane + at); store(r.1, dw + (row * 3 + 1) * plane + at)
                    store(r.2, dw + (row * 3 + 2) * plane + at)
                }
                put(filterAdjoint(c0.0, c1.0, c2.0, c3.0), 0); put(filterAdjoint(c0.1, c1.1, c2.1, c3.1), 1)
                put(filterAdjoint(c0.2, c1.2, c2.2, c3.2), 2)
                o += 8
            }
        }
    }

    /// V = Bᵀ d B for every tile of a padded image (`paddedWidth` pixels a row).
    public static func transformInput(_ padded: UnsafePointer<Float>, paddedWidth: Int, channels c: Int,
                                      tilesH: Int, tilesW: Int, into v: UnsafeMutablePointer<Float>) {
        let plane = planeStride(tiles: tilesH * tilesW, channels: c)
        let row = paddedWidth * c
        for ty in 0..<tilesH {
            for tx in 0..<tilesW {
                let base = padded + (2 * ty * paddedWidth + 2 * tx) * c
                let out = v + (ty * tilesW + tx) * c
                var ch = 0
                while ch < c {
                    let p = base + ch
                    // Bᵀ · d: each column of the block, then · B: each row.
                    let k0 = data(load(p), load(p + row), load(p + 2 * row), load(p + 3 * row))
                    let k1 = data(load(p + c), load(p + c + row), load(p + c + 2 * row), load(p + c + 3 * row))
                    let k2 = data(load(p + 2 * c), load(p + 2 * c + row), load(p + 2 * c + 2 * row), load(p + 2 * c + 3 * row))
                    let k3 = data(load(p + 3 * c), load(p + 3 * c + row), load(p + 3 * c + 2 * row), load(p + 3 * c + 3 * row))
                    let q = out + ch
                    let r0 = data(k0.0, k1.0, k2.0, k3.0)
                    store(r0.0, q); store(r0.1, q + plane); store(r0.2, q + 2 * plane); store(r0.3, q + 3 * plane)
                    let r1 = data(k0.1, k1.1, k2.1, k3.1)
                    store(r1.0, q + 4 * plane); store(r1.1, q + 5 * plane); store(r1.2, q + 6 * plane); store(r1.3, q + 7 * plane)
                    let r2 = data(k0.2, k1.2, k2.2, k3.2)
                    store(r2.0, q + 8 * plane); store(r2.1, q + 9 * plane); store(r2.2, q + 10 * plane); store(r2.3, q + 11 * plane)
                    let r3 = data(k0.3, k1.3, k2.3, k3.3)
                    store(r3.0, q + 12 * plane); store(r3.1, q + 13 * plane); store(r3.2, q + 14 * plane); store(r3.3, q + 15 * plane)
                    ch += 8
                }
            }
        }
    }

    /// The 2×2 pixels of every tile, Aᵀ M A + bias, clamped to [low, high], into `out`.
    public static func transformOutput(_ m: UnsafePointer<Float>, tilesH: Int, tilesW: Int, channels c: Int,
                                       bias: UnsafePointer<Float>?, low: Float, high: Float,
                                       into out: UnsafeMutablePointer<Float>) {
        let row = 2 * tilesW * c
        let (lo, hi) = (W8(repeating: low), W8(repeating: high))
        // As the narrow products clamp (not `clamped(lowerBound:upperBound:)`, a loop over the lanes).
        func clamp(_ v: W8) -> W8 { v.replacing(with: lo, where: v .< lo).replacing(with: hi, where: v .> hi) }
        forEachTile(m, tilesH: tilesH, tilesW: tilesW, channels: c, bias: bias) { ty, tx, ch, y00, y01, y10, y11 in
            let p = out + (2 * ty * 2 * tilesW + 2 * tx) * c + ch
            store(clamp(y00), p)
            store(clamp(y01), p + c)
            store(clamp(y10), p + row)
            store(clamp(y11), p + row + c)
        }
    }

    /// The tiles' pixels (Aᵀ M A + bias) put through a ReLU and a 2×2,
    /// stride-2 max pool, whose windows are the tiles: `pooled` [tiles,
    /// channels] gets each window's maximum (0 when it is not positive) and
    /// `winners` its position (0 top left, 1 top right, 2 bottom left, 3
    /// bottom right, the first of equals; −1 when the maximum is not
    /// positive), as the engine's max pool records them.
    public static func transformOutputPooled(_ m: UnsafePointer<Float>, tilesH: Int, tilesW: Int, channels c: Int,
                                             bias: UnsafePointer<Float>?, into pooled: UnsafeMutablePointer<Float>,
                                             winners: UnsafeMutablePointer<Float>) {
        let zero = W8(repeating: 0)
        forEachTile(m, tilesH: tilesH, tilesW: tilesW, channels: c, bias: bias) { ty, tx, ch, y00, y01, y10, y11 in
            var best = y00, at = zero
            var better = y01 .> best
            best.replace(with: y01, where: better); at.replace(with: 1, where: better)
            better = y10 .> best
            best.replace(with: y10, where: better); at.replace(with: 2, where: better)
            better = y11 .> best
            best.replace(with: y11, where: better); at.replace(with: 3, where: better)
            let off = best .<= 0
            best.replace(with: 0, where: off); at.replace(with: -1, where: off)
            let offset = (ty * tilesW + tx) * c + ch
            store(best, pooled + offset)
            store(at, winners + offset)
        }
    }

    /// dM = A dY Aᵀ for every tile of the output gradient `gradient` [2 · tilesH, 2 · tilesW, channels].
    public static func transformOutputGradient(_ gradient: UnsafePointer<Float>, tilesH: Int, tilesW: Int, channels c: Int,
                                               into dm: UnsafeMutablePointer<Float>) {
        let plane = planeStride(tiles: tilesH * tilesW, channels: c)
        let row = 2 * tilesW * c
        for ty in 0..<tilesH {
            for tx in 0..<tilesW {
                let base = gradient + (2 * ty * 2 * tilesW + 2 * tx) * c
                let out = dm + (ty * tilesW + tx) * c
                var ch = 0
                while ch < c {
                    let p = base + ch
                    // A · dY, column by column, then · Aᵀ row by row.
                    let k0 = outputAdjoint(load(p), load(p + row)), k1 = outputAdjoint(load(p + c), load(p + row + c))
                    let q = out + ch
                    let r0 = outputAdjoint(k0.0, k1.0)
                    store(r0.0, q); store(r0.1, q + plane); store(r0.2, q + 2 * plane); store(r0.3, q + 3 * plane)
                    let r1 = outputAdjoint(k0.1, k1.1)
                    store(r1.0, q + 4 * plane); store(r1.1, q + 5 * plane); store(r1.2, q + 6 * plane); store(r1.3, q + 7 * plane)
                    let r2 = outputAdjoint(k0.2, k1.2)
                    store(r2.0, q + 8 * plane); store(r2.1, q + 9 * plane); store(r2.2, q + 10 * plane); store(r2.3, q + 11 * plane)
                    let r3 = outputAdjoint(k0.3, k1.3)
                    store(r3.0, q + 12 * plane); store(r3.1, q + 13 * plane); store(r3.2, q + 14 * plane); store(r3.3, q + 15 * plane)
                    ch += 8
                }
            }
        }
    }

    /// B dV Bᵀ for every tile, added onto the padded image's gradient
    /// `padded` (`paddedWidth` pixels a row; neighbouring tiles overlap by two pixels).
    public static func addInputGradient(_ dv: UnsafePointer<Float>, tilesH: Int, tilesW: Int, channels c: Int,
                                        paddedWidth: Int, into padded: UnsafeMutablePointer<Float>) {
        let plane = planeStride(tiles: tilesH * tilesW, channels: c)
        let row = paddedWidth * c
        for ty in 0..<tilesH {
            for tx in 0..<tilesW {
                let source = dv + (ty * tilesW + tx) * c
                let base = padded + (2 * ty * paddedWidth + 2 * tx) * c
                var ch = 0
                while ch < c {
                    let q = source + ch
                    func d(_ xi: Int) -> W8 { load(q + xi * plane) }
                    // B · dV, column by column, then · Bᵀ row by row.
                    let k0 = dataAdjoint(d(0), d(4), d(8), d(12)), k1 = dataAdjoint(d(1), d(5), d(9), d(13))
                    let k2 = dataAdjoint(d(2), d(6), d(10), d(14)), k3 = dataAdjoint(d(3), d(7), d(11), d(15))
                    let p = base + ch
                    addRow(dataAdjoint(k0.0, k1.0, k2.0, k3.0), p, c)
                    addRow(dataAdjoint(k0.1, k1.1, k2.1, k3.1), p + row, c)
                    addRow(dataAdjoint(k0.2, k1.2, k2.2, k3.2), p + 2 * row, c)
                    addRow(dataAdjoint(k0.3, k1.3, k2.3, k3.3), p + 3 * row, c)
                    ch += 8
                }
            }
        }
    }

    /// Aᵀ M A + bias of every tile and group of eight channels, handed to `body` as its four pixels.
    @inline(__always)
    private static func forEachTile(_ m: UnsafePointer<Float>, tilesH: Int, tilesW: Int, channels c: Int,
                                    bias: UnsafePointer<Float>?,
                                    _ body: (Int, Int, Int, W8, W8, W8, W8) -> Void) {
        let plane = planeStride(tiles: tilesH * tilesW, channels: c)
        for ty in 0..<tilesH {
            for tx in 0..<tilesW {
                let source = m + (ty * tilesW + tx) * c
                var ch = 0
                while ch < c {
                    let q = source + ch
                    func e(_ xi: Int) -> W8 { load(q + xi * plane) }
                    // Aᵀ · M, column by column, then · A row by row.
                    let k0 = output(e(0), e(4), e(8), e(12)), k1 = output(e(1), e(5), e(9), e(13))
                    let k2 = output(e(2), e(6), e(10), e(14)), k3 = output(e(3), e(7), e(11), e(15))
                    let top = output(k0.0, k1.0, k2.0, k3.0), bottom = output(k0.1, k1.1, k2.1, k3.1)
                    let b = bias.map { load($0 + ch) } ?? W8(repeating: 0)
                    body(ty, tx, ch, top.0 + b, top.1 + b, bottom.0 + b, bottom.1 + b)
                    ch += 8
                }
            }
        }
    }
}

typealias W8 = SIMD8<Float>

@inline(__always)
private func load(_ p: UnsafePointer<Float>) -> W8 { UnsafeRawPointer(p).loadUnaligned(as: W8.self) }

@inline(__always)
private func load(_ p: UnsafeMutablePointer<Float>) -> W8 { UnsafeRawPointer(p).loadUnaligned(as: W8.self) }

@inline(__always)
private func store(_ v: W8, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: W8.self) }

@inline(__always)
private func addRow(_ r: (W8, W8, W8, W8), _ p: UnsafeMutablePointer<Float>, _ c: Int) {
    store(load(p) + r.0, p); store(load(p + c) + r.1, p + c)
    store(load(p + 2 * c) + r.2, p + 2 * c); store(load(p + 3 * c) + r.3, p + 3 * c)
}

/// Bᵀ · (d0, d1, d2, d3).
@inline(__always)
private func data(_ d0: W8, _ d1: W8, _ d2: W8, _ d3: W8) -> (W8, W8, W8, W8) { (d0 - d2, d1 + d2, d2 - d1, d1 - d3) }

/// B · (v0, v1, v2, v3), the adjoint of `data`.
@inline(__always)
private func dataAdjoint(_ v0: W8, _ v1: W8, _ v2: W8, _ v3: W8) -> (W8, W8, W8, W8) {
    (v0, v1 - v2 + v3, v1 + v2 - v0, W8(repeating: 0) - v3)
}

/// G · (g0, g1, g2).
@inline(__always)
private func filter(_ g0: W8, _ g1: W8, _ g2: W8) -> (W8, W8, W8, W8) {
    let half = W8(repeating: 0.5)
    return (g0, (g0 + g1 + g2) * half, (g0 - g1 + g2) * half, g2)
}

/// Gᵀ · (u0, u1, u2, u3), the adjoint of `filter`.
@inline(__always)
private func filterAdjoint(_ u0: W8, _ u1: W8, _ u2: W8, _ u3: W8) -> (W8, W8, W8) {
    let half = W8(repeating: 0.5)
    return (u0 + (u1 + u2) * half, (u1 - u2) * half, (u1 + u2) * half + u3)
}

/// Aᵀ · (m0, m1, m2, m3).
@inline(__always)
private func output(_ m0: W8, _ m1: W8, _ m2: W8, _ m3: W8) -> (W8, W8) { (m0 + m1 + m2, m1 - m2 - m3) }

/// A · (y0, y1), the adjoint of `output`.
@inline(__always)
private func outputAdjoint(_ y0: W8, _ y1: W8) -> (W8, W8, W8, W8) { (y0, y0 + y1, y0 - y1, W8(repeating: 0) - y1) }
