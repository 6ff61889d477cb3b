switch 1 {
case 1: fallthrough  // expect error: UnsupportedSyntax: fallthrough is not supported in Shoal cells; list several values in one case: case 1, 2:
default: print("x")
}
