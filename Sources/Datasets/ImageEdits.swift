import TrainingEngine

extension RGBImage {
    /// The `width` × `height` part whose top-left corner is (`x`, `y`).
    public func cropped(x: Int, y: Int, width w: Int, height h: Int) throws -> RGBImage {
        guard x >= 0, y >= 0, w > 0, h > 0, x + w <= width, y + h <= height else {
            throw ImageError("cannot cut \(w)×\(h) at (\(x), \(y)) out of a \(width)×\(height) picture")
        }
        var out = [UInt8](repeating: 0, count: w * h * 3)
        for row in 0..<h {
            let s = ((y + row) * width + x) * 3
            out.replaceSubrange((row * w * 3)..<((row + 1) * w * 3), with: pixels[s..<(s + w * 3)])
        }
        return try RGBImage(width: w, height: h, pixels: out)
    }

    /// Every value multiplied by `factor` (1.1 is 10 % brighter), clipped to 0–255.
    public func brightened(by factor: Double) -> RGBImage {
        var copy = self
        for i in copy.pixels.indices { copy.pixels[i] = UInt8(max(0, min(255, (Double(pixels[i]) * factor).rounded()))) }
        return copy
    }
}

/// Copies of a picture as they leak into photo folders, for measuring the
/// leak finder (its tests and `shoal-leak-bench --calibrate`).
public enum PlantedCopy {
    /// `transform` applied to `image`, then a crop of up to 5 % of each side
    /// (shared at random between its two ends), a resize by 0.5–2×, brightness
    /// ×0.9–1.1 and JPEG quality 60–95, each drawn from `random`: the JPEG file.
    public static func jpeg(of image: RGBImage, transform: PictureTransform, random: inout EngineRandom) throws -> [UInt8] {
        var picture = transform.apply(to: image)
        let cutX = Int(Double(picture.width) * Double(random.uniform(0, 0.05)))
        let cutY = Int(Double(picture.height) * Double(random.uniform(0, 0.05)))
        let left = cutX > 0 ? Int(random.next() % UInt64(cutX + 1)) : 0, top = cutY > 0 ? Int(random.next() % UInt64(cutY + 1)) : 0
        picture = try picture.cropped(x: left, y: top, width: picture.width - cutX, height: picture.height - cutY)
        let scale = Double(random.uniform(0.5, 2))
        picture = try picture.resized(width: max(8, Int(Double(picture.width) * scale)), height: max(8, Int(Double(picture.height) * scale)))
        picture = picture.brightened(by: Double(random.uniform(0.9, 1.1)))
        return try ImageEncoder.jpeg(picture, quality: 60 + Int(random.next() % 36))
    }
}
