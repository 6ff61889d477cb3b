func greet() -> String { "hi" }
// %%
func greet() -> String { "hello" }
print(greet())  // expect: hello
