@State var count = 0  // expect error: UnsupportedSyntax: property wrappers such as @State are not supported in Shoal cells; use a plain 'var'
// %%
@propertyWrapper struct Clamped { var wrappedValue: Int }  // expect error: UnsupportedSyntax: property wrapper declarations are not supported in Shoal cells
// %%
@resultBuilder struct Builder {}  // expect error: UnsupportedSyntax: result builder declarations are not supported in Shoal cells; Sequential { … } is the one builder cells offer
