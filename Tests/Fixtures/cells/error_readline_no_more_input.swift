let a = readLine()!
let b = readLine()!
print(a, "/", b)  // expect: first line / second line
let c = readLine()  // expect error: InputError: readLine() needs typed input, but this front end does not allow input
