// As on the tree, a callee that is not a function is reported before its arguments run.
let notAFunction = 3
func tryIt() {
    notAFunction(print("argument ran"))  // expect error: TypeError: cannot call value of non-function type 'Int'
}
tryIt()
