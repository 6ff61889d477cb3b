/// Functions called from outside a cell: a widget's callback, run when the
/// front end moves a slider or presses a button.
extension Interpreter {
    /// Calls a function value with the limits and the cancellation of a cell.
    ///
    /// - Throws: `CellError` from the function, as a cell would.
    public func callBack(_ function: Callable, with arguments: [Value]) throws -> Value {
        runtime.beginCell()
        defer { runtime.registers.clear() }
        return try function.invoke(arguments, runtime)
    }
}
