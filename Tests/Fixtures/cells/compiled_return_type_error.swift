func label(_ n: Int) -> String {
    if n > 0 { return "positive" }
    return n  // expect error: TypeError: cannot convert return expression of type 'Int' to return type 'String'
}
print(label(1))  // expect: positive
print(label(-1))
