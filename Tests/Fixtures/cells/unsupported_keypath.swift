let k = \String.count  // expect error: UnsupportedSyntax: key paths are not supported in Shoal cells; use a closure such as { $0.count }
