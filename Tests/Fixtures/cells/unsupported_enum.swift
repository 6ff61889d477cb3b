enum Species { case carp }  // expect error: UnsupportedSyntax: enums are not supported in Shoal cells; use strings or implicit members such as .adam
