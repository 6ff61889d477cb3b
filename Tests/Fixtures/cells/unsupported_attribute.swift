@MainActor func f() {}  // expect error: UnsupportedSyntax: attributes such as @MainActor are not supported in Shoal cells
