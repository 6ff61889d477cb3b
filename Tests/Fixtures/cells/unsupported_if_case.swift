let x: Int? = 1
if case let y? = x { print(y) }  // expect error: UnsupportedSyntax: 'case' patterns in conditions are not supported in Shoal cells; use a switch statement
