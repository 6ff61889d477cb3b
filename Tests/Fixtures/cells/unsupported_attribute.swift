@MainActor func f() {}  // expect error: UnsupportedSyntax: '@MainActor' (concurrency) is not supported in Shoal cells; Shoal cells run one statement at a time, without concurrency
// %%
@discardableResult func g() -> Int { 1 }  // expect error: UnsupportedSyntax: attributes such as @discardableResult are not supported in Shoal cells
