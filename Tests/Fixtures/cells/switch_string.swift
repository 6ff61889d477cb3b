let species = "tuna"
switch species {
case "clownfish": print("reef")
case "tuna", "mackerel": print("open sea")  // expect: open sea
default: print("unknown")
}
