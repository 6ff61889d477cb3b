func first<T>(_ xs: [T]) -> T { xs[0] }  // expect error: UnsupportedSyntax: generic functions are not supported in Shoal cells; write the concrete types, or Any
