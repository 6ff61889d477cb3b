import CellLanguage

/// The lesson vocabulary: builtins that bind the cell language to lessons.
public enum PracticeBuiltins {
    public static func register(in r: BuiltinRegistry) {
        registerRendering(in: r)
        registerTraining(in: r)
        registerEvaluation(in: r)
        registerDatasets(in: r)
        registerFish(in: r)
        registerSaving(in: r)
        registerClassifier(in: r)
        registerLessons(in: r)
        registerLeaks(in: r)
        registerExport(in: r)
        r.addFunction("check(_ condition: Bool, _ message: String = \"check failed\")",
                      doc: "Passes silently when the condition holds; otherwise stops the cell with the message.",
                      example: "check(train.count == 42, \"the training set should hold 70% of the images\")") { a, _ in
            if try a.bool(0) { return .void }
            throw CellError(.checkFailed, try a.string(1))
        }
    }
}
