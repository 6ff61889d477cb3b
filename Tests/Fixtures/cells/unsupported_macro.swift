let f = #file  // expect error: UnsupportedSyntax: macros are not supported in Shoal cells
