// A class whose stored property has no initial value and that declares no init has no
// initializer: refused where it is declared, as Swift refuses it. Optional 'var's start as
// nil and properties with values need no init.
class Tank { var litres: Int }  // expect error: TypeError: class 'Tank' has no initializers
// %%
class Pond {
    var name: String
    var fish: [String] = []
    var owner: String?
    init(name: String) { self.name = name }
}
class Net { var size = 3; var label: String? }
print(Pond(name: "a").fish, Net().size, Net().label as Any)  // expect: [] 3 nil
