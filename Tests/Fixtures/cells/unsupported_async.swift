func load() async {}  // expect error: UnsupportedSyntax: async functions are not supported in Shoal cells
