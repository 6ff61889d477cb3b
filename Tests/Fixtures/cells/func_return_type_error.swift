func name() -> Int {
    return "x"  // expect error: TypeError: cannot convert return expression of type 'String' to return type 'Int'
}
name()
