extension LabelledDataset {
    /// Splits into parts of the given fractions (which must add up to 1)
    /// keeping every group whole: samples with the same number in `groups`
    /// always land in the same part (copies of one photo, say). Stratified
    /// by the class of each group's first sample: each class's groups are
    /// shuffled with the seed and each goes to the part furthest below its
    /// share, so parts keep the class balance as closely as whole groups allow
    /// (exactly, when every group is one sample).
    public func split(fractions: [Double], seed: UInt64, groups: [Int]) throws -> [LabelledDataset] {
        guard !fractions.isEmpty, fractions.allSatisfy({ $0 >= 0 }), abs(fractions.reduce(0, +) - 1) < 1e-6 else {
            throw InvalidArgument("split fractions must be non-negative and add up to 1, got \(fractions)")
        }
        guard groups.count == count else { throw ShapeError("\(count) samples need \(count) group numbers, got \(groups.count)") }
        // Each group's samples, groups in order of their first sample.
        var members: [[Int]] = []
        var slot: [Int: Int] = [:]
        for (i, g) in groups.enumerated() {
            if let s = slot[g] { members[s].append(i) } else { slot[g] = members.count; members.append([i]) }
        }
        var random = EngineRandom(seed: seed)
        var parts = [[Int]](repeating: [], count: fractions.count)
        for c in classNames.indices {
            var classGroups = members.filter { labels[$0[0]] == c }
            guard !classGroups.isEmpty else { continue }
            classGroups.shuffle(using: &random)
            // Largest-remainder targets, as in the plain split.
            let total = classGroups.reduce(0) { $0 + $1.count }
            let exact = fractions.map { $0 * Double(total) }
            var targets = exact.map { Int($0.rounded(.down)) }
            let order = exact.indices.sorted { (exact[$0] - Double(targets[$0])) > (exact[$1] - Double(targets[$1])) }
            var left = total - targets.reduce(0, +)
            for i in order where left > 0 { targets[i] += 1; left -= 1 }
            var filled = [Int](repeating: 0, count: fractions.count)
            for group in classGroups {
                var best = 0
                for i in targets.indices where targets[i] - filled[i] > targets[best] - filled[best] { best = i }
                parts[best] += group
                filled[best] += group.count
            }
        }
        return try parts.map { part in
            var p = part
            p.shuffle(using: &random)
            return try subset(p)
        }
    }
}
