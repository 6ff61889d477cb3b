extension Int {}  // expect error: UnsupportedSyntax: extensions are not supported in Shoal cells; write a function that takes the value
