func load() throws {}  // expect error: UnsupportedSyntax: throwing functions are not supported in Shoal cells; return an optional instead
