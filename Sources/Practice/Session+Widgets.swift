import CellIO
import CellLanguage
import Foundation

/// Comm messages from the front end (widgets) and the callbacks they start,
/// run on the cell thread one at a time and interruptible like cells.
extension Session {
    /// Handles a comm message from the front end; callbacks' output goes to
    /// `sink`, or to the widget's output area when it has one.
    public func comm(_ message: CommMessage, sink: OutputSink) -> CommOutcome {
        interpreter.runtime.output = sink
        defer { interpreter.runtime.output = NullSink() }
        cancellation.reset()
        let hub = WidgetHub.of(interpreter.runtime)
        return worker.run { [self] in
            do {
                switch try hub.receive(message, sink: sink) {
                case .done: break
                case .callbacks(let w, let arguments): runCallbacks(of: w, with: arguments, sink: sink)
                case .message(let w, let content, let buffers): runHandlers(of: w, content: content, buffers: buffers, sink: sink)
                }
                return .handled
            } catch is WidgetHub.UnknownTarget {
                return .unknownTarget
            } catch {
                return .failed("\(error)")
            }
        }
    }

    /// Open comms, comm id → target name.
    public func openComms(target: String?) -> [String: String] {
        WidgetHub.of(interpreter.runtime).openComms(target: target)
    }

    /// Whether a comm message is a stop button's click (safe from any thread).
    public func commInterrupts(_ message: CommMessage) -> Bool {
        WidgetHub.existing(interpreter.runtime)?.interrupts(message) ?? false
    }

    private func runCallbacks(of w: Widget, with arguments: [Value], sink: OutputSink) {
        for observer in w.observers {
            let area = w.output.map { OutputAreaSink(area: $0, forward: sink) }
            interpreter.runtime.output = area ?? sink
            do {
                switch observer {
                case .closure(let f):
                    _ = try interpreter.callBack(f, with: arguments)
                case .interact(let body, let controls, let displayID):
                    do {
                        let values = controls.map(\.value)
                        let v: Value
                        switch body {
                        case .closure(let f): v = try interpreter.callBack(f, with: values)
                        case .host(let draw): v = try draw(values)
                        }
                        sink.display(v.display, id: displayID, update: true)
                    } catch {
                        // The error takes the picture's place until the next change.
                        sink.display(.text(presented(error).text), id: displayID, update: true)
                        if cancellation.isCancelled { return }
                    }
                }
            } catch {
                let e = presented(error)
                if let area { area.error(e) } else { sink.write(e.text + "\n", to: .stderr) }
                if cancellation.isCancelled { return }
            }
        }
    }

    /// `onMessage` closures, with the message's content (and its buffers
    /// when a closure takes two arguments).
    private func runHandlers(of w: Widget, content: Value, buffers: Value, sink: OutputSink) {
        for handler in w.messageHandlers {
            let area = w.output.map { OutputAreaSink(area: $0, forward: sink) }
            interpreter.runtime.output = area ?? sink
            let takesBuffers = (handler.signatures.first?.parameters.count ?? 2) >= 2
            do {
                _ = try interpreter.callBack(handler, with: takesBuffers ? [content, buffers] : [content])
            } catch {
                let e = presented(error)
                if let area { area.error(e) } else { sink.write(e.text + "\n", to: .stderr) }
                if cancellation.isCancelled { return }
            }
        }
    }

    /// An error from a callback, shown against the cell its closure is in.
    private func presented(_ error: Error) -> PresentedError {
        let e = ErrorBoundary.cellError(error, at: .unknown, interpreter.registry)
        return present(e, source: interpreter.source(ofCell: e.range.cell) ?? "")
    }
}
