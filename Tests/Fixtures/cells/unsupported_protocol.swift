protocol Swimmer {}  // expect error: UnsupportedSyntax: protocols are not supported in Shoal cells
