import CellLanguage
import Foundation
import JupyterWire
import Rendering
import TrainingEngine

/// Interactive lesson tools built on the widgets: each redraws its picture
/// in place when the learner moves a slider.
extension PracticeBuiltins {
    static func registerLessonWidgets(in r: BuiltinRegistry) {
        registerThresholdExplorer(in: r)
        registerHeadExplorer(in: r)
        struct Explorer: Decodable { var x: [Double], y: [Double], futureX: [Double], futureY: [Double], maxDegree: Int, xLabel: String, yLabel: String }
        r.addFunction("polynomialExplorer(x: [Double], y: [Double], futureX: [Double] = [], futureY: [Double] = [], maxDegree: Int = 9, xLabel: String = \"x\", yLabel: String = \"y\")",
                      doc: "A degree slider and a \"future\" slider over a polynomial fitted to (x, y): the curve, the past's and the "
                          + "shown future's mean squared error, redrawn as you drag (degree up: the past fits better, the future "
                          + "goes wild).",
                      example: "polynomialExplorer(x: pastX, y: pastY, futureX: futureX, futureY: futureY)",
                      options: Explorer.self) { o, rt in
            guard o.x.count == o.y.count, !o.x.isEmpty else { throw CellError.value("x and y need the same, non-zero number of values") }
            guard o.futureX.count == o.futureY.count else {
                throw CellError.value("futureX has \(o.futureX.count) values but futureY has \(o.futureY.count)")
            }
            guard (1...15).contains(o.maxDegree) else { throw CellError.value("maxDegree must be 1 to 15, not \(o.maxDegree)") }
            let hub = WidgetHub.of(rt)
            let lastX = o.x.max() ?? 0
            let horizon = Swift.max((o.futureX.max() ?? lastX) - lastX, 0)
            var controls = [hub.make(.intSlider, state: ["value": .int(1), "min": .int(1), "max": .int(o.maxDegree), "step": .int(1),
                                                         "description": .string("degree")], sink: rt.output)]
            if horizon > 0 {
                controls.append(hub.make(.floatSlider, state: [
                    "value": .double(horizon), "min": .double(0), "max": .double(horizon), "step": .double(horizon / 20),
                    "description": .string("future"), "readout_format": .string(".2f"),
                ], sink: rt.output))
            }
            try showInteractive(controls, body: .host { values in
                guard case .int(let degree) = values[0] else { return .void }
                let ahead: Double
                if values.count > 1, case .double(let a) = values[1] { ahead = a } else { ahead = 0 }
                return .object(try polynomialChart(o.x, o.y, o.futureX, o.futureY, degree: degree, until: lastX + ahead,
                                                  labels: (o.xLabel, o.yLabel)))
            }, rt)
            return .void
        }
    }

    static func registerThresholdExplorer(in r: BuiltinRegistry) {
        struct Positive: Decodable { var positive: String }
        r.addMethod(on: "Evaluation", "thresholdExplorer(positive: String)",
                    doc: "A decision-threshold slider for one class against the rest: a picture counts as the class when the model "
                        + "gives it at least the threshold; the two-by-two confusion matrix, precision and recall are redrawn as "
                        + "you drag (threshold up: fewer false alarms, more misses).",
                    example: "result.thresholdExplorer(positive: \"trout\")", receiver: EvaluationObject.self,
                    options: Positive.self) { e, o, rt in
            let ev = e.evaluation
            guard let k = ev.classNames.firstIndex(of: o.positive) else {
                throw CellError.value("'\(o.positive)' is not one of the classes (\(ev.classNames.joined(separator: ", ")))")
            }
            let p = try ev.probabilities()
            let n = ev.classNames.count
            let chances = ev.labels.indices.map { Double(p[flat: $0 * n + k]) }
            let actual = ev.labels.map { $0 == k }
            let slider = WidgetHub.of(rt).make(.floatSlider, state: [
                "value": .double(0.5), "min": .double(0), "max": .double(1), "step": .double(0.01),
                "description": .string("threshold"),
            ], sink: rt.output)
            try showInteractive([slider], body: .host { values in
                guard case .double(let threshold) = values[0] else { return .void }
                return .object(thresholdChart(o.positive, chances: chances, actual: actual, threshold: threshold))
            }, rt)
            return .void
        }
    }

    static func registerHeadExplorer(in r: BuiltinRegistry) {
        struct Explore: Decodable { var data: HostArgument<DatasetObject>, validation: HostArgument<DatasetObject>, batchSize: Int }
        r.addMethod(on: "ImageClassifier", "headExplorer(_ data: Dataset, validation: Dataset, batchSize: Int = 32)",
                    doc: "A learning-rate slider (log scale) and an epochs slider: each change trains a new head from the "
                        + "weights it had before any training, on the backbone's features, computed once, and redraws the loss "
                        + "and accuracy curves (a StopButton or the kernel's stop interrupts a run). The model keeps the head it "
                        + "had: what the explorer trains is thrown away after each picture.",
                    example: "model.headExplorer(train, validation: validation)", receiver: ImageClassifierObject.self,
                    options: Explore.self) { c, o, rt in
            guard c.unfrozen == 0 else {
                throw CellError.value("headExplorer trains the head alone; freeze the backbone first (model.freeze())")
            }
            guard o.batchSize >= 1 else { throw CellError.value("the batch size must be at least 1, not \(o.batchSize)") }
            let data = o.data.object.data, validation = o.validation.object.data
            try c.check(data)
            try c.check(validation)
            let trainFeatures = try c.features(data, rt), validationFeatures = try c.features(validation, rt)
            let dropouts = c.head.layers.compactMap { $0 as? Dropout }
            let hub = WidgetHub.of(rt)
            let rate = hub.make(.logSlider, state: [
                "value": .double(0.001), "min": .double(-4), "max": .double(-1), "step": .double(0.1),
                "description": .string("learning rate"), "continuous_update": .bool(false),
            ], sink: rt.output)
            let epochs = hub.make(.intSlider, state: [
                "value": .int(20), "min": .int(1), "max": .int(60), "step": .int(1),
                "description": .string("epochs"), "continuous_update": .bool(false),
            ], sink: rt.output)
            try showInteractive([rate, epochs], body: .host { values in
                guard case .double(let learningRate) = values[0], case .int(let count) = values[1] else { return .void }
                // The same start for the same sliders: the untrained head, its first dropout masks, train's default
                // seed — so the explorer's picture repeats what `train` does with the same settings. The model's
                // own head (trained by earlier cells) comes back afterwards, whatever happens in between.
                let kept = try c.head.parameters.map { try $0.value.copy() }, keptMasks = dropouts.map(\.maskGenerator)
                defer {
                    for (p, v) in zip(c.head.parameters, kept) { p.value = v }
                    for (d, m) in zip(dropouts, keptMasks) { d.maskGenerator = m }
                }
                for (p, v) in zip(c.head.parameters, c.initialHeadWeights) { p.value = try v.copy() }
                for (d, m) in zip(dropouts, c.initialMasks) { d.maskGenerator = m }
                let history = try c.headModel.fit(trainFeatures, epochs: count, batchSize: o.batchSize, validation: validationFeatures,
                                                  optimizer: try Adam(learningRate: Float(learningRate)), seed: 0,
                                                  shouldStop: { rt.cancellation.isCancelled })
                // The settings in the titles: a saved copy, whose sliders do not move, still says what it shows.
                let settings = "learning rate \(String(format: "%.3g", learningRate)), batch \(o.batchSize)"
                return .object(ChartObject(HistoryObject(history).figure(settings: settings)))
            }, rt)
            return .void
        }
    }

    /// The two-by-two confusion matrix of one class against the rest at a threshold, precision and recall in its title.
    static func thresholdChart(_ positive: String, chances: [Double], actual: [Bool], threshold: Double) -> ChartObject {
        var counts = [[0.0, 0.0], [0.0, 0.0]]   // [actual positive, actual other][predicted positive, predicted other]
        for (p, a) in zip(chances, actual) { counts[a ? 0 : 1][p >= threshold ? 0 : 1] += 1 }
        let (tp, fn, fp) = (counts[0][0], counts[0][1], counts[1][0])
        let precision = tp + fp == 0 ? 0 : tp / (tp + fp), recall = tp + fn == 0 ? 0 : tp / (tp + fn)
        let names = [positive, "not \(positive)"]
        let matrix = Heatmap(title: "threshold \(String(format: "%.2f", threshold))", rowNames: names, columnNames: names, values: counts)
        let scores = BarChart(title: "\(positive) against the rest", xLabel: "", yLabel: "", categories: ["precision", "recall"],
                              series: [(name: positive, values: [precision, recall])], horizontal: true, percent: true)
        return ChartObject(.row([.heatmap(matrix), .bar(scores)]))
    }

    /// The past, the future up to `until`, and the degree's fitted curve, with both errors in the title.
    static func polynomialChart(_ x: [Double], _ y: [Double], _ futureX: [Double], _ futureY: [Double], degree: Int,
                                until end: Double, labels: (x: String, y: String) = ("x", "y")) throws -> ChartObject {
        let c = try Polynomial.fit(x: x, y: y, degree: degree)
        func meanSquared(_ xs: [Double], _ ys: [Double]) -> Double {
            zip(xs, ys).map { pow(Polynomial.evaluate(c, $0) - $1, 2) }.reduce(0, +) / Double(Swift.max(xs.count, 1))
        }
        let shown = futureX.indices.filter { futureX[$0] <= end + 1e-9 }
        var title = "degree \(degree): past error \(String(format: "%.4f", meanSquared(x, y)))"
        if !shown.isEmpty {
            title += ", future error \(String(format: "%.4f", meanSquared(shown.map { futureX[$0] }, shown.map { futureY[$0] })))"
        }
        var chart = ScatterChart(title: title, xLabel: labels.x, yLabel: labels.y, points: [PointSeries(name: "past (learned from)", x: x, y: y)])
        if !shown.isEmpty {
            chart.points.append(PointSeries(name: "future (not seen)", x: shown.map { futureX[$0] }, y: shown.map { futureY[$0] },
                                            marker: .triangle, hollow: true))
        }
        let ys = y + futureY
        if let lo = ys.min(), let hi = ys.max() {
            let pad = Swift.max((hi - lo) * 0.25, 1e-6)
            chart.yRange = (lo - pad)...(hi + pad)
        }
        let start = x.min() ?? 0
        let curveX = (0...200).map { start + (end - start) * Double($0) / 200 }
        chart.curves.append(LineSeries(name: "degree \(degree)", x: curveX, y: curveX.map { Polynomial.evaluate(c, $0) }))
        return ChartObject(.scatter(chart))
    }
}
