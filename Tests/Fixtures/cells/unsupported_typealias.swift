typealias Score = Double  // expect error: UnsupportedSyntax: type aliases are not supported in Shoal cells; write the type itself
