// `case .none` matches an optional that holds nothing, as in Swift.
enum Door { case open, shut }
let d: Door? = nil
switch d {
case .none: print("no door")  // expect: no door
case .some(let x): print("door", x)
}
let e: Door? = .open
switch e {
case .none: print("no door")
case .open?: print("open")  // expect: open
default: print("other")
}
switch d {
case .open: print("open")
case .shut: print("shut")
case nil: print("nil")  // expect: nil
}
let n: Int? = nil
switch n {
case .some(let v): print(v)
case .none: print("nothing")  // expect: nothing
}
