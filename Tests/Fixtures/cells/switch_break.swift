let n = 2
switch n {
case 2: break
default: print("other")
}
print("after")  // expect: after
