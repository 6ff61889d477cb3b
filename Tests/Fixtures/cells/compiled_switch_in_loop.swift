// A switch inside a compiled loop: its break, continue and return reach the loop and the function.
func classify(_ xs: [Int]) -> String {
    var words: [String] = []
    for x in xs {
        switch x {
        case 0:
            continue
        case 1...3:
            words.append("small")
        case 99:
            return words.joined(separator: ",") + ";stop"
        default:
            words.append("big")
            break
        }
        words.append("|")
    }
    return words.joined(separator: ",")
}
print(classify([0, 2, 7, 0, 3]))  // expect: small,|,big,|,small,|
print(classify([2, 99, 5]))  // expect: small,|;stop
