func parse(_ text: String) throws -> Int {
    guard let n = Int(text) else { throw "not a number: \(text)" }
    return n
}
print(try? parse("12"))  // expect: Optional(12)
print(try? parse("twelve"))  // expect: nil
let sizes = ["3", "x", "5"].compactMap { try? parse($0) }
print(sizes)  // expect: [3, 5]
print(try! parse("7"))  // expect: 7
do {
    let all = try ["1", "2", "zwei"].map { try parse($0) }
    print(all)
} catch {
    print(error)  // expect: not a number: zwei
}
// %%
let n = try! parse("seven")  // expect error: UncaughtError: 'try!' found the error "not a number: seven"
