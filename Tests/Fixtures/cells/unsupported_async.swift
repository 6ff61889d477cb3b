func load() async {}  // expect error: UnsupportedSyntax: async functions (concurrency) are not supported in Shoal cells; Shoal cells run one statement at a time, without concurrency
