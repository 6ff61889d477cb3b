actor Counter { var n = 0 }  // expect error: UnsupportedSyntax: actors (concurrency) are not supported in Shoal cells; Shoal cells run one statement at a time, without concurrency
// %%
Task { print("later") }  // expect error: UnsupportedSyntax: 'Task' (concurrency) is not supported in Shoal cells; Shoal cells run one statement at a time, without concurrency
// %%
let x = await fetch()  // expect error: UnsupportedSyntax: 'await' (concurrency) is not supported in Shoal cells; Shoal cells run one statement at a time, without concurrency
// %%
func f() {
    async let a = 1  // expect error: UnsupportedSyntax: 'async let' (concurrency) is not supported in Shoal cells; Shoal cells run one statement at a time, without concurrency
}
// %%
DispatchQueue.main.async { print("x") }  // expect error: UnsupportedSyntax: 'DispatchQueue' (concurrency) is not supported in Shoal cells; Shoal cells run one statement at a time, without concurrency
// %%
nonisolated func g() {}  // expect error: UnsupportedSyntax: 'nonisolated' (concurrency) is not supported in Shoal cells; Shoal cells run one statement at a time, without concurrency
