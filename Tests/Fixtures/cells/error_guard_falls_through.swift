func f(_ x: Int) -> Int {
    guard x > 0 else {  // expect error: TypeError: 'guard' body must not fall through; use 'return', 'break' or 'continue' to exit the scope
        print("negative")  // expect: negative
    }
    return x
}
f(-1)
