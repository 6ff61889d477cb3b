var area: Int { 3 }  // expect error: UnsupportedSyntax: computed properties are not supported in Shoal cells; write a function
