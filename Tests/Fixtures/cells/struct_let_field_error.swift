struct Tag {
    let id: Int
    var label: String
}
var t = Tag(id: 1, label: "a")
t.label = "b"
print(t)  // expect: Tag(id: 1, label: "b")
t.id = 2  // expect error: TypeError: cannot assign to property: 'id' is a 'let' constant
