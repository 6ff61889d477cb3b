import CellIO
import CellLanguage
import Foundation
import Practice
import Testing

/// Widgets as the front end sees them: the comms a cell opens, the updates
/// it answers, the closures it runs and where their output and errors go.
@Suite("widgets")
struct WidgetTests {
    /// The comm messages a sink got, with their data parsed.
    static func comms(_ sink: RecordingSink) -> [(message: CommMessage, data: [String: Any])] {
        sink.events.compactMap {
            guard case .comm(let m) = $0 else { return nil }
            let data = (try? JSONSerialization.jsonObject(with: Data(m.data.utf8))) as? [String: Any] ?? [:]
            return (m, data)
        }
    }

    static func modelID(_ d: Display?) -> String? {
        guard let text = d?.data["application/vnd.jupyter.widget-view+json"],
              let view = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return nil }
        return view["model_id"] as? String
    }

    static func update(_ id: String, _ state: String) -> CommMessage {
        CommMessage(.message, commID: id, data: "{\"method\": \"update\", \"state\": \(state), \"buffer_paths\": []}")
    }

    @Test func aSliderOpensItsModelWithLayoutAndStyle() throws {
        let s = Session()
        let sink = RecordingSink()
        let r = s.execute("IntSlider(value: 3, min: 1, max: 9, description: \"degree\")", sink: sink)
        let id = try #require(WidgetTests.modelID(r.value), "the cell's value is a widget view")
        #expect(r.value?.plainText == "IntSlider(\"degree\", value: 3)")
        let opened = WidgetTests.comms(sink)
        #expect(opened.map(\.message.kind) == Array(repeating: .open(target: "jupyter.widget"), count: 3))
        #expect(opened.allSatisfy { $0.message.metadata.contains("\"2.1.0\"") })
        let slider = try #require(opened.last)
        #expect(slider.message.commID == id)
        let state = try #require(slider.data["state"] as? [String: Any])
        #expect(state["_model_name"] as? String == "IntSliderModel")
        #expect(state["_model_module"] as? String == "@jupyter-widgets/controls")
        #expect(state["value"] as? Int == 3 && state["max"] as? Int == 9)
        #expect(state["layout"] as? String == "IPY_MODEL_\(opened[0].message.commID)", "the layout was opened first")
        #expect(state["style"] as? String == "IPY_MODEL_\(opened[1].message.commID)")
        #expect(Set(s.openComms(target: "jupyter.widget").keys) == Set(opened.map(\.message.commID)))
    }

    @Test func theFrontEndsChangeIsEchoedAndRunsTheClosure() throws {
        let s = Session()
        let r = s.execute("""
            var seen: [Int] = []
            let degree = IntSlider(value: 3, min: 1, max: 9)
            degree.observe { d in seen.append(d); print("degree \\(d)") }
            degree
            """, sink: RecordingSink())
        let id = try #require(WidgetTests.modelID(r.value))
        let sink = RecordingSink()
        #expect(s.comm(WidgetTests.update(id, "{\"value\": 5}"), sink: sink) == .handled)
        #expect(sink.stdout == "degree 5\n")
        let echo = try #require(WidgetTests.comms(sink).first)
        #expect(echo.data["method"] as? String == "echo_update")
        #expect((echo.data["state"] as? [String: Any])?["value"] as? Int == 5)
        // Past the maximum: echoed, then clamped to 9 by an update.
        let far = RecordingSink()
        #expect(s.comm(WidgetTests.update(id, "{\"value\": 40}"), sink: far) == .handled)
        #expect(WidgetTests.comms(far).map { $0.data["method"] as? String } == ["echo_update", "update"])
        #expect(s.execute("seen", sink: RecordingSink()).value?.plainText == "[5, 9]")
        #expect(s.execute("degree.value", sink: RecordingSink()).value?.plainText == "9")
    }

    @Test func aMalformedMessageIsRefusedAndChangesNothing() throws {
        let s = Session()
        let r = s.execute("let degree = IntSlider(value: 3)\ndegree", sink: RecordingSink())
        let id = try #require(WidgetTests.modelID(r.value))
        #expect(s.comm(WidgetTests.update(id, "{\"value\": \"ten\"}"), sink: RecordingSink())
                == .failed("an IntSlider's value must be an integer, not \"ten\""))
        #expect(s.comm(WidgetTests.update(id, "{\"colour\": 1}"), sink: RecordingSink())
                == .failed("an IntSlider has no attribute 'colour'"))
        #expect(s.comm(CommMessage(.message, commID: id, data: "{\"method\": \"paint\"}"), sink: RecordingSink())
                == .failed("a widget does not know the method 'paint'"))
        #expect(s.comm(CommMessage(.message, commID: "nope", data: "{}"), sink: RecordingSink())
                == .failed("no comm 'nope' is open"))
        #expect(s.comm(CommMessage(.open(target: "some.other"), commID: "x"), sink: RecordingSink()) == .unknownTarget)
        #expect(s.execute("degree.value", sink: RecordingSink()).value?.plainText == "3")
    }

    @Test func anErrorInAClosureGoesToItsOutputAreaAndTheNotebookGoesOn() throws {
        let s = Session()
        let r = s.execute("""
            let log = Output()
            let rate = FloatSlider(value: 0.5, min: 0, max: 1)
            rate.observe(output: log) { r in print("rate", r); let k = [1, 2][5] }
            rate
            """, sink: RecordingSink())
        let id = try #require(WidgetTests.modelID(r.value))
        let sink = RecordingSink()
        #expect(s.comm(WidgetTests.update(id, "{\"value\": 0.25}"), sink: sink) == .handled)
        let last = try #require(WidgetTests.comms(sink).last)
        let outputs = try #require((last.data["state"] as? [String: Any])?["outputs"] as? [[String: Any]])
        #expect(outputs.first?["text"] as? String == "rate 0.25\n")
        #expect(outputs.last?["output_type"] as? String == "error")
        #expect(outputs.last?["ename"] as? String == "IndexError")
        #expect(sink.stdout.isEmpty, "nothing escapes to the cell's output")
        #expect(s.execute("rate.value * 2", sink: RecordingSink()).value?.plainText == "0.5")
    }

    @Test func interactRedrawsItsResultInPlace() throws {
        let s = Session()
        let sink = RecordingSink()
        let r = s.execute("interact(1...9, names: [\"degree\"]) { d in 10 / (6 - d) }", sink: sink)
        #expect(r.error == nil, "\(String(describing: r.error?.evalue))")
        let displays = sink.events.compactMap { e -> (Display, String?)? in
            if case .display(let d, let id, false) = e { return (d, id) } else { return nil }
        }
        #expect(displays.count == 2, "the controls, then the result")
        let sliderID = try #require(WidgetTests.comms(sink).last { ($0.data["state"] as? [String: Any])?["_model_name"] as? String == "IntSliderModel" }?.message.commID)
        let resultID = try #require(displays.last?.1)
        #expect(displays.last?.0.plainText == "10", "the slider starts in the middle of 1...9, at 5")
        let change = RecordingSink()
        #expect(s.comm(WidgetTests.update(sliderID, "{\"value\": 3}"), sink: change) == .handled)
        #expect(change.events.contains(.display(.text("3"), id: resultID, update: true)), "10 / (6 - 3), in place")
        // A failing run shows its error where the result was; the next one replaces it.
        let failing = RecordingSink()
        #expect(s.comm(WidgetTests.update(sliderID, "{\"value\": 6}"), sink: failing) == .handled)
        let shown = failing.events.compactMap { e -> Display? in if case .display(let d, _, true) = e { return d } else { return nil } }
        #expect(shown.first?.plainText.contains("ZeroDivisionError") == true)
        #expect(s.execute("1 + 1", sink: RecordingSink()).value?.plainText == "2")
    }

    @Test func stateRequestsClicksStopButtonsAndClosing() throws {
        let s = Session()
        let r = s.execute("""
            var clicks = 0
            let go = Button("Go")
            go.onClick { clicks += 1 }
            let stop = StopButton()
            HBox([go, stop])
            """, sink: RecordingSink())
        #expect(r.error == nil, "\(String(describing: r.error?.evalue))")
        let ids = s.openComms(target: nil)
        let go = try #require(ids.keys.first { id in
            s.commInterrupts(CommMessage(.message, commID: id, data: "{\"method\": \"custom\", \"content\": {\"event\": \"click\"}}")) == false
                && s.execute("go", sink: RecordingSink()).value.flatMap(WidgetTests.modelID) == id
        })
        let click = CommMessage(.message, commID: go, data: "{\"method\": \"custom\", \"content\": {\"event\": \"click\"}}")
        #expect(s.comm(click, sink: RecordingSink()) == .handled)
        #expect(s.comm(click, sink: RecordingSink()) == .handled)
        #expect(s.execute("clicks", sink: RecordingSink()).value?.plainText == "2")
        let stopID = try #require(s.execute("stop", sink: RecordingSink()).value.flatMap(WidgetTests.modelID))
        #expect(s.commInterrupts(CommMessage(.message, commID: stopID, data: "{\"method\": \"custom\", \"content\": {\"event\": \"click\"}}")))
        // request_state answers with the whole state; the control comm with every widget's.
        let state = RecordingSink()
        #expect(s.comm(CommMessage(.message, commID: go, data: "{\"method\": \"request_state\"}"), sink: state) == .handled)
        #expect((WidgetTests.comms(state).first?.data["state"] as? [String: Any])?["description"] as? String == "Go")
        #expect(s.comm(CommMessage(.open(target: "jupyter.widget.control"), commID: "ctl"), sink: RecordingSink()) == .handled)
        let all = RecordingSink()
        #expect(s.comm(CommMessage(.message, commID: "ctl", data: "{\"method\": \"request_states\"}"), sink: all) == .handled)
        let states = try #require(WidgetTests.comms(all).first?.data["states"] as? [String: Any])
        #expect(states.count == ids.count)
        // Closing frees the comm.
        #expect(s.comm(CommMessage(.close, commID: go), sink: RecordingSink()) == .handled)
        #expect(s.openComms(target: nil)[go] == nil)
        #expect(s.comm(click, sink: RecordingSink()) == .failed("no comm '\(go)' is open"))
    }

    @Test func thePolynomialExplorerRedrawsItsChartAsTheDegreeRises() throws {
        let s = Session()
        let sink = RecordingSink()
        let r = s.execute("""
            let xs = (0..<10).map { Double($0) / 9 }
            let ys = xs.enumerated().map { i, x in 1 + 0.8 * x - 0.5 * x * x + (i % 2 == 0 ? 0.05 : -0.05) }
            let futureX = [1.05, 1.1, 1.15, 1.2, 1.25]
            polynomialExplorer(x: xs, y: ys, futureX: futureX, futureY: futureX.map { 1 + 0.8 * $0 - 0.5 * $0 * $0 })
            """, sink: sink)
        #expect(r.error == nil, "\(String(describing: r.error?.evalue))")
        let first = try #require(sink.events.compactMap { e -> Display? in
            if case .display(let d, _, false) = e, d.data["image/png"] != nil { return d } else { return nil }
        }.first)
        #expect(first.plainText.contains("degree 1: past error"), "\(first.plainText)")
        #expect(first.plainText.contains("future error"))
        let sliders = WidgetTests.comms(sink).filter { ($0.data["state"] as? [String: Any])?["_model_name"] as? String == "IntSliderModel" }
        let degree = try #require(sliders.first?.message.commID)
        let change = RecordingSink()
        #expect(s.comm(WidgetTests.update(degree, "{\"value\": 9}"), sink: change) == .handled)
        let redrawn = try #require(change.events.compactMap { e -> Display? in
            if case .display(let d, _, true) = e { return d } else { return nil }
        }.first)
        #expect(redrawn.plainText.contains("degree 9: past error"), "\(redrawn.plainText)")
        #expect(redrawn.data["image/png"] != nil && redrawn.data["image/png"] != first.data["image/png"])
    }

    @Test func theThresholdExplorerTradesRecallForPrecision() throws {
        let s = Session()
        let sink = RecordingSink()
        let r = s.execute("""
            let points = Points.spirals(count: 300, classes: 3, seed: 7)
            let (train, validation) = points.split(0.8, seed: 42)
            var model = Sequential { Dense(2, 32); ReLU(); Dense(32, 3) }
            model.train(train, epochs: 3, batchSize: 16)
            let result = model.evaluate(validation)
            result.thresholdExplorer(positive: "arm 2")
            """, sink: sink)
        #expect(r.error == nil, "\(String(describing: r.error?.evalue))")
        let first = try #require(sink.events.compactMap { e -> Display? in
            if case .display(let d, _, false) = e, d.data["image/png"] != nil { return d } else { return nil }
        }.last)
        #expect(first.plainText.contains("threshold 0.50") && first.plainText.contains("precision"), "\(first.plainText)")
        let slider = try #require(WidgetTests.comms(sink).last { ($0.data["state"] as? [String: Any])?["_model_name"] as? String == "FloatSliderModel" }?.message.commID)
        let low = RecordingSink()
        #expect(s.comm(WidgetTests.update(slider, "{\"value\": 0}"), sink: low) == .handled)
        let everything = try #require(low.events.compactMap { e -> Display? in if case .display(let d, _, true) = e { return d } else { return nil } }.first)
        #expect(everything.plainText.contains("threshold 0.00") && everything.plainText.contains("recall 100.0%"),
                "at threshold 0 every picture counts as the class: \(everything.plainText)")
        #expect(s.execute("result.thresholdExplorer(positive: \"arm 9\")", sink: RecordingSink()).error?.evalue
                == "'arm 9' is not one of the classes (arm 1, arm 2, arm 3)")
    }

    @Test func settingAValueFromACellRunsItsObserversAndRedrawsInteract() throws {
        let s = Session()
        let sink = RecordingSink()
        let r = s.execute("""
            var seen: [Int] = []
            let degree = IntSlider(value: 3, min: 1, max: 9)
            degree.observe { d in seen.append(d) }
            interact(degree) { d in "degree \\(d)" }
            degree.setValue(7)
            degree.setValue(7)
            degree.setValue(40)
            """, sink: sink)
        #expect(r.error == nil, "\(String(describing: r.error?.evalue))")
        #expect(s.execute("seen", sink: RecordingSink()).value?.plainText == "[7, 9]", "once per change, clamped to the maximum")
        let redrawn = sink.events.compactMap { e -> String? in if case .display(let d, _, true) = e { return d.plainText } else { return nil } }
        #expect(redrawn == ["\"degree 7\"", "\"degree 9\""])
    }

    @Test func observersThatSetEachOtherForeverStopWithAMessage() throws {
        let s = Session()
        let r = s.execute("""
            let on = Checkbox(description: "on")
            let other = Checkbox(description: "other")
            on.observe { v in other.setValue(!other.value) }
            other.observe { v in on.setValue(!on.value) }
            on.setValue(true)
            """, sink: RecordingSink())
        let message = try #require(r.error?.evalue)
        #expect(message.contains("20 deep") && message.contains("(Checkbox \"on\" → Checkbox \"other\" → Checkbox \"on\" → …)"), "\(message)")
        // The kernel goes on, and so do the widgets.
        #expect(s.execute("on.value || !on.value", sink: RecordingSink()).value?.plainText == "true")
        #expect(s.execute("let x = IntSlider(value: 1)\nx.setValue(2)\nx.value", sink: RecordingSink()).value?.plainText == "2")
    }

    @Test func customMessagesBothWaysWithBuffers() throws {
        let s = Session()
        let r = s.execute("""
            var got: [String] = []
            let degree = IntSlider(value: 3)
            degree.onMessage { content, buffers in got.append("\\(content) \\(buffers)") }
            degree.send(["hint": "try 3", "sizes": [1, 2]], buffers: [[0, 255, 7]])
            degree
            """, sink: RecordingSink())
        #expect(r.error == nil, "\(String(describing: r.error?.evalue))")
        let id = try #require(WidgetTests.modelID(r.value))
        let sent = RecordingSink()
        _ = s.execute("degree.send(\"hello\")", sink: sent)
        let message = try #require(WidgetTests.comms(sent).first)
        #expect(message.data["method"] as? String == "custom" && message.data["content"] as? String == "hello")
        let withBytes = RecordingSink()
        _ = s.execute("degree.send([\"n\": 1], buffers: [[1, 2], [3]])", sink: withBytes)
        #expect(WidgetTests.comms(withBytes).first?.message.buffers == [[1, 2], [3]])
        #expect(s.execute("degree.send(1, buffers: [[256]])", sink: RecordingSink()).error?.evalue
                == "buffer 0 holds 256 at position 0; a byte is a whole number from 0 to 255")
        #expect(s.execute("degree.send(degree)", sink: RecordingSink()).error?.evalue.contains("not a value of type 'IntSlider'") == true)

        let custom = CommMessage(.message, commID: id, data: "{\"method\": \"custom\", \"content\": {\"zoom\": 2}}", buffers: [[9, 8]])
        #expect(s.comm(custom, sink: RecordingSink()) == .handled)
        #expect(s.execute("got", sink: RecordingSink()).value?.plainText == "[\"[\\\"zoom\\\": 2] [[9, 8]]\"]")
        // A one-argument closure gets the content alone.
        _ = s.execute("var contents: [Any] = []\ndegree.onMessage { c in contents.append(c) }", sink: RecordingSink())
        #expect(s.comm(custom, sink: RecordingSink()) == .handled)
        #expect(s.execute("contents.count", sink: RecordingSink()).value?.plainText == "1")
    }

    @Test func aModelTheFrontEndOpensIsKeptWithItsBuffers() throws {
        let s = Session()
        let open = CommMessage(.open(target: "jupyter.widget"), commID: "fe1",
                               data: "{\"state\": {\"_model_name\": \"ImageModel\", \"_model_module\": \"@jupyter-widgets/controls\", "
                                   + "\"format\": \"png\"}, \"buffer_paths\": [[\"value\"]]}",
                               metadata: "{\"version\": \"2.1.0\"}", buffers: [[137, 80, 78, 71]])
        #expect(s.comm(open, sink: RecordingSink()) == .handled)
        #expect(s.openComms(target: "jupyter.widget")["fe1"] == "jupyter.widget")
        let state = RecordingSink()
        #expect(s.comm(CommMessage(.message, commID: "fe1", data: "{\"method\": \"request_state\"}"), sink: state) == .handled)
        let reply = try #require(WidgetTests.comms(state).first)
        #expect(reply.data["method"] as? String == "update")
        #expect((reply.data["state"] as? [String: Any])?["format"] as? String == "png")
        #expect(reply.data["buffer_paths"] as? [[String]] == [["value"]])
        #expect(reply.message.buffers == [[137, 80, 78, 71]])
        // An update with a new buffer replaces the old one and is echoed with it.
        let change = RecordingSink()
        let update = CommMessage(.message, commID: "fe1", data: "{\"method\": \"update\", \"state\": {\"width\": \"50\"}, "
                                     + "\"buffer_paths\": [[\"value\"]]}", buffers: [[1, 2, 3]])
        #expect(s.comm(update, sink: change) == .handled)
        let echo = try #require(WidgetTests.comms(change).first)
        #expect(echo.data["method"] as? String == "echo_update" && echo.message.buffers == [[1, 2, 3]])
        let again = RecordingSink()
        _ = s.comm(CommMessage(.message, commID: "fe1", data: "{\"method\": \"request_state\"}"), sink: again)
        #expect(WidgetTests.comms(again).first?.message.buffers == [[1, 2, 3]])
        #expect((WidgetTests.comms(again).first?.data["state"] as? [String: Any])?["width"] as? String == "50")
        // What the front end may not do to its model.
        #expect(s.comm(CommMessage(.open(target: "jupyter.widget"), commID: "fe1", data: "{\"state\": {\"_model_name\": \"X\"}}"),
                       sink: RecordingSink()) == .failed("a comm 'fe1' is already open"))
        #expect(s.comm(CommMessage(.open(target: "jupyter.widget"), commID: "fe2", data: "{\"state\": {}}"), sink: RecordingSink())
                == .failed("a jupyter.widget comm_open's state needs a '_model_name'"))
        #expect(s.comm(CommMessage(.open(target: "jupyter.widget"), commID: "fe3", data: "{\"state\": {\"_model_name\": \"X\"}, "
                                       + "\"buffer_paths\": [[\"a\"], [\"b\"]]}", buffers: [[1]]), sink: RecordingSink())
                == .failed("the comm_open names 2 buffer paths but carries 1 buffer"))
        #expect(s.comm(WidgetTests.update("fe1", "{\"_model_name\": \"Other\"}"), sink: RecordingSink())
                == .failed("an ImageModel's '_model_name' cannot be changed"))
        #expect(s.openComms(target: nil).keys.sorted() == ["fe1"])
    }

    static var weightsInstalled: Bool {
        let base = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"] ?? (NSHomeDirectory() + "/.cache")
        return FileManager.default.fileExists(atPath: base + "/shoal/efficientnet-lite0.safetensors")
    }

    @Test(.enabled(if: weightsInstalled, "needs `shoal models fetch` (make test runs it)"))
    func theHeadExplorerRetrainsFromTheSameStartOnCachedFeatures() throws {
        /// A session with a model (trained first for `epochs`, when given) and its head explorer, and a way to move its epochs slider.
        func explorer(trainedFirst epochs: Int?) throws -> (Session, (Int) throws -> Display) {
            let s = Session()
            let sink = RecordingSink()
            let r = s.execute("""
                let fish = Fish.synthetic(seed: 7, perClass: 8)
                let (train, validation) = fish.split(0.75, seed: 42)
                var model = ImageClassifier(classes: fish.classes)
                \(epochs.map { "model.train(train, validation: validation, epochs: \($0), batchSize: 8)" } ?? "")
                let before = model.evaluate(validation).loss
                model.headExplorer(train, validation: validation)
                """, sink: sink)
            #expect(r.error == nil, "\(String(describing: r.error?.evalue))")
            let slider = try #require(WidgetTests.comms(sink).last { ($0.data["state"] as? [String: Any])?["_model_name"] as? String == "IntSliderModel" }?.message.commID)
            return (s, { n in
                let change = RecordingSink()
                #expect(s.comm(WidgetTests.update(slider, "{\"value\": \(n)}"), sink: change) == .handled)
                return try #require(change.events.compactMap { e -> Display? in if case .display(let d, _, true) = e { return d } else { return nil } }.first)
            })
        }
        let (s, run) = try explorer(trainedFirst: nil)
        let three = try run(3)
        #expect(three.plainText.contains("3 epochs") || three.plainText.contains("epoch 3"), "\(three.plainText)")
        _ = try run(5)
        #expect(try run(3) == three, "the same rate and epochs give the same curves: each run starts from the same weights")
        let same = RecordingSink()
        #expect(s.execute("print(model.evaluate(validation).loss == before)", sink: same).error == nil)
        #expect(same.stdout == "true\n", "the explorer leaves the model's head as it was: \(same.stdout)")

        // A learner who trained the head first sees the same curves (the explorer starts from the untrained head)
        // and keeps the head they trained.
        let (trained, runTrained) = try explorer(trainedFirst: 4)
        #expect(try runTrained(3) == three, "the explorer trains from the head's first weights, not from the trained head")
        let kept = RecordingSink()
        #expect(trained.execute("print(model.evaluate(validation).loss == before)", sink: kept).error == nil)
        #expect(kept.stdout == "true\n", "the model's trained head is left as it was: \(kept.stdout)")

        // With train's settings, the explorer's picture is what `train` draws: a lesson can say "it starts by repeating the training above".
        let fresh = Session(), shown = RecordingSink()
        let r = fresh.execute("""
            let fish = Fish.synthetic(seed: 7, perClass: 8)
            let (train, validation) = fish.split(0.75, seed: 42)
            var model = ImageClassifier(classes: fish.classes)
            model.train(train, validation: validation, epochs: 3, learningRate: 0.001)
            """, sink: shown)
        #expect(r.error == nil, "\(String(describing: r.error?.evalue))")
        let trained3 = try #require(r.value?.plainText)
        // The explorer's titles add its settings: "Loss · learning rate 0.001, batch 32 — training …".
        let curves = { (text: String) in text.split(separator: "\n").map { $0.split(separator: "—", maxSplits: 1).last ?? "" } }
        #expect(curves(trained3) == curves(three.plainText), "train: \(trained3)\nexplorer: \(three.plainText)")
        #expect(three.plainText.hasPrefix("Loss · learning rate 0.001, batch 32 — "), "\(three.plainText)")
    }
}
