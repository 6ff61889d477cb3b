let lo = 5
let r = lo..<2  // expect error: ValueError: range requires lowerBound <= upperBound, but got 5..<2
