func bump(_ x: inout Int) { x += 1 }  // expect error: UnsupportedSyntax: inout parameters are not supported in Shoal cells; return the new value instead
