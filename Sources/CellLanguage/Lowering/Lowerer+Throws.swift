import SwiftSyntax

extension Lowerer {
    /// Notes that the function `fd`, just declared in the current block,
    /// throws (or, for a global, that this cell's one does not).
    func markThrowing(_ fd: FunctionDeclSyntax) {
        let throwsError = fd.signature.effectSpecifiers?.throwsClause != nil
        let name = fd.name.text
        if scope.declaresGlobals {
            if throwsError { cellThrowingFunctions.insert(name) } else { cellThrowingFunctions.remove(name) }
        } else if throwsError {
            scope.markThrowing(name)
        }
    }

    /// Whether `name` is a user function declared `throws`.
    func isThrowingFunction(_ name: String) -> Bool {
        switch resolve(name) {
        case .local(_, let info)?:
            return info.isThrowingFunction
        case .global(let slot, _, _)?:
            if cellGlobals[name] != nil { return cellThrowingFunctions.contains(name) }
            if case .function(let fn as UserFunction) = slot.value { return fn.decl.isThrowing }
            return false
        default:
            return false
        }
    }

    func missingTry(_ name: String, _ call: FunctionCallExprSyntax) -> CellError {
        CellError(.syntaxError, "call can throw but is not marked with 'try'; write 'try \(name)(…)' inside do { … } catch { … }, or 'try?'",
                  at: range(call))
    }

    /// Swift refuses a call to a throwing function that no `try` covers;
    /// so does Shoal, before any of the cell runs.
    func checkTry(_ name: String, _ call: FunctionCallExprSyntax) throws {
        guard tryDepth == 0, isThrowingFunction(name) else { return }
        throw missingTry(name, call)
    }
}

extension Lowerer {
    /// `Tank(…)` whose initializer throws needs `try` too.
    func checkTry(constructing name: String, labels: [String?], _ call: FunctionCallExprSyntax) throws {
        guard tryDepth == 0, let type = globals.userTypes.types[name],
              let inits = type.lineage.first(where: { !$0.inits.isEmpty })?.inits,
              UserTypes.chooseInit(inits, labels: labels).isThrowing else { return }
        throw missingTry(name, call)
    }

    /// In an initializer, `return` gives no value, except `return nil` in an `init?`.
    func checkInitializerReturn(_ r: ReturnStmtSyntax) throws {
        guard let failable = scope.failableInit, let e = r.expression else { return }
        guard e.is(NilLiteralExprSyntax.self) else {
            throw CellError(.syntaxError, "'nil' is the only return value permitted in an initializer", at: range(e))
        }
        if !failable {
            throw CellError(.syntaxError, "only a failable initializer can return 'nil'", at: range(e),
                            notes: ["write init?(…) to make the initializer failable"])
        }
    }
}
