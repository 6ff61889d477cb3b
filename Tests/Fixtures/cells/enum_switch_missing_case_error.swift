enum Light { case red, amber, green }
let now = Light.amber
switch now {  // expect error: SyntaxError: switch must be exhaustive; missing case '.green' of 'Light'
case .red: print("stop")
case .amber: print("wait")
}
