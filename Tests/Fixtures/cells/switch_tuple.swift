let point = (0, 3)
switch point {
case (0, 0): print("origin")
case (0, _): print("on the y axis")  // expect: on the y axis
default: print("elsewhere")
}
