func check(_ n: Int) throws -> Int {
    if n > 100 { throw n }
    return n
}
for n in [5, 150, 500] {
    do {
        print(try check(n))
    } catch let big where big > 200 {
        print("far too big: \(big)")
    } catch let big {
        print("too big: \(big)")
    }
}
// expect: 5
// expect: too big: 150
// expect: far too big: 500
func rethrowing() throws {
    do {
        _ = try check(1000)
    } catch 5 {
        print("five")
    }
}
do {
    try rethrowing()
} catch {
    print("passed on: \(error)")  // expect: passed on: 1000
}
