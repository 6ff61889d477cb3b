let x: Int = "three"  // expect error: TypeError: cannot convert value of type 'String' to specified type 'Int'
// %%
var count: Int = nil  // expect error: TypeError: 'nil' cannot initialize specified type 'Int'
// %%
var maybe: Int? = nil
print(maybe as Any)  // expect: nil
