// The leak finder's benchmark and its calibration (run by `make bench`).
//
//   shoal-leak-bench             1,000 photos of 1600×1200 (100 of them flipped
//                                copies), written once into a temporary folder:
//                                the leak finder (read, hash, compare) against
//                                decoding the same files alone at the same
//                                reduced scale, both on all cores, alternating
//                                five times, the best of each. One line:
//                                bench leak-finder-1000-photos: shoal … | decode-only … | ratio …
//   shoal-leak-bench --calibrate [perClass] [imageSize] [reef]
//                                planted copies (a flip or turn each, crop up to
//                                5 %, 0.5–2× resize, brightness ×0.9–1.1, JPEG
//                                quality 60–95) among distinct drawn fish: the
//                                share found and the false pairs, for several
//                                hash sizes alone, then for the hash and the
//                                lined-up thumbnails at several thresholds.
import Datasets
import Dispatch
import Foundation
import TrainingEngine

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("leak bench: \(message)\n".utf8))
    exit(1)
}

/// Runs `body` for 0..<count on all cores, in chunks.
func parallel(_ count: Int, _ body: (Int) -> Void) {
    DispatchQueue.concurrentPerform(iterations: count, execute: body)
}

/// "found / false" in a column of 17.
func cell(_ found: Double, _ falsePairs: Double) -> String { String(format: "  %6.1f / %-7.2f", found, falsePairs) }

func calibrate(perClass: Int, imageSize: Int, set: SyntheticFish.Set) throws {
    let fish = try SyntheticFish.dataset(perClass: perClass, imageSize: imageSize, seed: 11, options: .init(set: set))
    let n = fish.count
    var random = EngineRandom(seed: 5)
    // Originals as a folder would hold them (JPEG quality 92), then planted copies of a quarter of them.
    var files: [[UInt8]] = try (0..<n).map { try ImageEncoder.jpeg(try fish.image($0), quality: 92) }
    var sources = Array(0..<n)
    var shuffled = Array(0..<n)
    shuffled.shuffle(using: &random)
    var transforms: [PictureTransform] = []
    for (k, i) in shuffled.prefix(max(50, n / 4)).enumerated() {
        let t = PictureTransform.allCases[k % 8]
        files.append(try PlantedCopy.jpeg(of: try fish.image(i), transform: t, random: &random))
        sources.append(i)
        transforms.append(t)
    }
    let copies = files.count - n
    var decoded = [RGBImage?](repeating: nil, count: files.count)
    decoded.withUnsafeMutableBufferPointer { out in
        let slots = out.baseAddress!
        parallel(files.count) { i in slots[i] = try? ImageDecoder.decode(files[i], minimumSide: FolderScan.decodeSide) }
    }
    let images = decoded.compactMap { $0 }
    guard images.count == files.count else { fail("a picture could not be decoded") }
    print("calibration: \(n) distinct drawn fish (\(set.rawValue) set, \(imageSize) px, \(fish.classNames.count) species) + \(copies) planted copies "
          + "(a flip or turn each, crop ≤ 5 %, resize 0.5–2×, brightness ×0.9–1.1, JPEG quality 60–95), decoded at ≥ \(FolderScan.decodeSide) px")
    // The hash alone, by size: the share of planted copies within b bits of their original, and the distinct pairs as close.
    let bitThresholds = [4, 6, 8, 10, 12, 14, 16]
    print("hash alone: found % of planted copies / false pairs per 100 pictures, by bits apart (columns):")
    print("  block" + bitThresholds.map { String(format: "%17d", $0) }.joined())
    for block in [6, 8, 10, 12] {
        let hasher = try PerceptualHasher(side: 32, block: block)
        let prints = LookAlikes.fingerprintsForCalibration(images.map { hasher.signature($0) })
        let planted = (n..<prints.count).map { prints[sources[$0]].match(prints[$0]).distance }
        var close = [Int](repeating: 0, count: 257)
        let lock = NSLock()
        parallel(prints.count) { i in
            var local = [Int](repeating: 0, count: 257)
            for j in (i + 1)..<prints.count where sources[i] != sources[j] { local[prints[i].match(prints[j]).distance] += 1 }
            lock.lock(); for d in local.indices { close[d] += local[d] }; lock.unlock()
        }
        print(String(format: "  %2d×%-2d", block, block) + bitThresholds.map { b in
            cell(100 * Double(planted.filter { $0 <= b }.count) / Double(copies), 100 * Double(close[0...b].reduce(0, +)) / Double(prints.count))
        }.joined())
    }
    let t0 = now()
    var signatures = [PictureSignature?](repeating: nil, count: files.count)
    signatures.withUnsafeMutableBufferPointer { out in
        let slots = out.baseAddress!
        parallel(files.count) { i in slots[i] = PerceptualHasher.standard.signature(images[i]) }
    }
    let all = signatures.compactMap { $0 }
    guard all.count == files.count else { fail("a picture could not be decoded") }
    let t1 = now()
    // Every pair the loosest hash test keeps, with its bits and its difference once lined up.
    let loosest = 14
    var found: [(i: Int, j: Int, bits: Int, difference: Double, transform: PictureTransform)] = []
    let lock = NSLock()
    let prints = LookAlikes.fingerprintsForCalibration(all)
    parallel(all.count) { i in
        var local: [(Int, Int, Int, Double, PictureTransform)] = []
        for j in (i + 1)..<all.count {
            let m = prints[i].match(prints[j])
            guard m.distance <= loosest else { continue }
            local.append((i, j, m.distance, 100 * (1 - Double(all[i].similarity(to: all[j], transform: m.transform))), m.transform))
        }
        lock.lock(); found += local.map { (i: $0.0, j: $0.1, bits: $0.2, difference: $0.3, transform: $0.4) }; lock.unlock()
    }
    let t2 = now()
    let isCopy = { (p: (i: Int, j: Int, bits: Int, difference: Double, transform: PictureTransform)) in sources[p.i] == sources[p.j] }
    let named = found.filter { isCopy($0) && $0.transform == transforms[$0.j - n] }.count
    print(String(format: "hash 8×8 then thumbnails lined up (signatures %.1f s, pairs %.1f s; transform named right for %d of %d): "
                 + "found %% of planted copies / false pairs per 100 pictures, by hash bits (rows) and difference (columns):",
                 t1 - t0, t2 - t1, named, copies))
    let thresholds = [0.5, 0.75, 1, 1.25, 1.5, 2, 3, 5]
    print("  bits " + thresholds.map { String(format: "%17.2f", $0) }.joined())
    for bits in [6, 8, 10, 12, 14] {
        var line = String(format: "  %4d ", bits)
        for t in thresholds {
            let kept = found.filter { $0.bits <= bits && $0.difference <= t }
            let hits = kept.filter(isCopy).count, misses = kept.count - hits
            line += cell(100 * Double(hits) / Double(copies), 100 * Double(misses) / Double(all.count))
        }
        print(line)
    }
    let planted = found.filter(isCopy).map(\.difference).sorted()
    let distinct = found.filter { !isCopy($0) && $0.bits <= LookAlikes.candidateBits }.map(\.difference).sorted()
    print(String(format: "planted copies: difference median %.2f, 95th percentile %.2f, largest %.2f (%d of %d within %d bits); "
                 + "closest distinct pair %.2f", planted.isEmpty ? 0 : planted[planted.count / 2], planted.isEmpty ? 0 : planted[planted.count * 95 / 100],
                 planted.last ?? 0, planted.count, copies, loosest, distinct.first ?? 100))
}

/// 1,000 photos of 1600×1200 (100 of them flipped copies), written once.
func photoFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shoal-leak-bench-1000")
    let marker = folder.appendingPathComponent(".complete")
    if FileManager.default.fileExists(atPath: marker.path) { return folder }
    try? FileManager.default.removeItem(at: folder)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    FileHandle.standardError.write(Data("leak bench: writing 1,000 photos of 1600×1200 into \(folder.path) (once)\n".utf8))
    // Sensor noise: one tile, read at a different offset for each photo.
    var random = EngineRandom(seed: 99)
    let (tw, th) = (1700, 1300)
    let noise = (0..<(tw * th * 3)).map { _ in Int8(truncatingIfNeeded: Int(random.next() % 13) - 6) }
    var failure: Error?
    let lock = NSLock()
    parallel(1000) { i in
        do {
            var r = EngineRandom(seed: UInt64(1000 + (i < 900 ? i : i - 900)))
            let fish = try SyntheticFish.render(species: i % SyntheticFish.speciesNames().count, size: 400, random: &r).image
            var photo = try fish.resized(width: 1600, height: 1200)
            let (ox, oy) = (i * 37 % 100, i * 53 % 100)
            for y in 0..<1200 {
                for x in 0..<1600 {
                    for c in 0..<3 {
                        let p = (y * 1600 + x) * 3 + c
                        photo.pixels[p] = UInt8(max(0, min(255, Int(photo.pixels[p]) + Int(noise[((y + oy) * tw + x + ox) * 3 + c]))))
                    }
                }
            }
            if i >= 900 { photo = (i % 2 == 0 ? PictureTransform.verticalFlip : .horizontalFlip).apply(to: photo) }
            try Data(try ImageEncoder.jpeg(photo, quality: 90)).write(to: folder.appendingPathComponent(String(format: "photo-%04d.jpg", i)))
        } catch {
            lock.lock(); failure = error; lock.unlock()
        }
    }
    if let failure { throw failure }
    try Data().write(to: marker)
    return folder
}

func benchmark() throws {
    let folder = try photoFolder()
    let urls = try FolderScan.pictureFiles(in: folder)
    let bytes = urls.reduce(0) { $0 + ((try? $1.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0) }
    func decodeAlone() -> Int {
        var widths = [Int](repeating: 0, count: urls.count)
        widths.withUnsafeMutableBufferPointer { out in
            let slots = out.baseAddress!
            for start in stride(from: 0, to: urls.count, by: 32) {
                let range = start..<min(start + 32, urls.count)
                parallel(range.count) { k in
                    let i = range.lowerBound + k
                    slots[i] = (try? ImageDecoder.decode(file: urls[i], minimumSide: FolderScan.decodeSide).width) ?? 0
                }
            }
        }
        return widths.reduce(0, +)
    }
    func findLeaks() throws -> Int {
        let scan = try FolderScan.scan(folder)
        return try LookAlikes.pairs(within: scan.signatures).count
    }
    var decodeBest = Double.infinity, finderBest = Double.infinity, pairs = 0
    for _ in 0..<5 {
        var t0 = now()
        guard decodeAlone() > 0 else { fail("the photos could not be decoded") }
        decodeBest = min(decodeBest, now() - t0)
        t0 = now()
        pairs = try findLeaks()
        finderBest = min(finderBest, now() - t0)
    }
    FileHandle.standardError.write(Data(("leak bench: \(urls.count) photos, \(bytes / urls.count / 1024) KiB each on average; "
                                         + "\(pairs) look-alike pairs found (100 planted)\n").utf8))
    print(String(format: "bench leak-finder-1000-photos: shoal %.2f s | decode-only %.2f s | ratio %.2f", finderBest, decodeBest,
                 decodeBest / finderBest))
}

do {
    let args = CommandLine.arguments.dropFirst()
    if args.first == "--calibrate" {
        let numbers = args.dropFirst().compactMap { Int($0) }
        try calibrate(perClass: numbers.first ?? 400, imageSize: numbers.dropFirst().first ?? 224,
                      set: args.contains("reef") ? .reef : .course)
    } else {
        try benchmark()
    }
} catch {
    fail("\(error)")
}
