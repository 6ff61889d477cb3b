// Argument and return checks in compiled calls.
func half(_ x: Double) -> Double { x / 2 }
func twice(_ n: Int) -> Int { return n * 2 }
func callsHalf() -> Double { half(3) }
print(callsHalf())  // expect: 1.5
print(twice(21))  // expect: 42
func bad() -> Int {
    let d = 2.5
    return twice(d)  // expect error: TypeError: cannot convert value of type 'Double' to expected argument type 'Int'
}
bad()
