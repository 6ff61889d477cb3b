let x = try foo()  // expect error: UnsupportedSyntax: 'try' is not supported in Shoal cells; Shoal cells do not throw errors
