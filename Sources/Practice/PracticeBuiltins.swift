import CellLanguage

/// The lesson vocabulary: builtins that bind the cell language to lessons.
public enum PracticeBuiltins {
    /// The arguments of builtins that take one file path.
    struct PathArgument: Decodable { var path: String }

    public static func register(in r: BuiltinRegistry) {
        r.errorTable = learnerError
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
        registerPictures(in: r)
        registerExplanations(in: r)
        registerMistakes(in: r)
        registerLearningRateFinder(in: r)
        registerAugmentation(in: r)
        registerWidgets(in: r)
        struct Check: Decodable { var condition: Bool, message: String }
        r.addFunction("check(_ condition: Bool, _ message: String = \"check failed\")",
                      doc: "Passes silently when the condition holds; otherwise stops the cell with the message.",
                      example: "check(train.count == 42, \"the training set should hold 70% of the images\")", options: Check.self) { o, _ in
            if o.condition { return .void }
            // An empty message would leave the learner an error that says nothing.
            throw CellError(.checkFailed, o.message.isEmpty ? "check failed" : o.message)
        }
    }
}
