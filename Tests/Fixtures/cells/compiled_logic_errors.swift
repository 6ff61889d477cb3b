// Conditions and operators in compiled code report the same errors as anywhere.
func check(_ a: Int, _ b: Bool) -> String {
    let sign = a < 0 ? "negative" : "non-negative"
    let both = b && a > 2
    let either = !b || a == 7
    return "\(sign) \(both) \(either) \(-a)"
}
print(check(7, true))  // expect: non-negative true true -7
print(check(-3, false))  // expect: negative false true 3
func notBool(_ x: Int) -> Bool {
    return x && true  // expect error: TypeError: cannot convert value of type 'Int' to expected condition type 'Bool'
}
notBool(1)
