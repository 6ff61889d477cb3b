func sign(_ x: Int) -> Int {  // expect error: TypeError: missing return in function 'sign' expected to return 'Int'
    if x > 0 { return 1 }
}
sign(-3)
