struct Fish { let name: String }  // expect error: UnsupportedSyntax: structs are not supported in Shoal cells; use tuples such as (name: String, count: Int)
