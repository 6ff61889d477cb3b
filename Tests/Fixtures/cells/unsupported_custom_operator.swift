infix operator ** : MultiplicationPrecedence  // expect error: UnsupportedSyntax: custom operators are not supported in Shoal cells; write a function
