class Fish {}  // expect error: UnsupportedSyntax: classes are not supported in Shoal cells; use functions, tuples and dictionaries
