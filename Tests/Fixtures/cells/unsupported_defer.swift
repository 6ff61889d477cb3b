func f() {
    defer { print("bye") }  // expect error: UnsupportedSyntax: defer is not supported in Shoal cells
}
