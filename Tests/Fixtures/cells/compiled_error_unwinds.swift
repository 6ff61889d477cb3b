// An error deep in compiled calls leaves the session able to call again.
func risky(_ n: Int) -> Int {
    if n == 0 { return 10 / n }  // expect error: ZeroDivisionError: division by zero
    return risky(n - 1) + 1
}
func safe(_ n: Int) -> Int { n == 0 ? 0 : safe(n - 1) + 1 }
print(safe(50))  // expect: 50
// %%
risky(30)
// %%
print(safe(60))  // expect: 60
