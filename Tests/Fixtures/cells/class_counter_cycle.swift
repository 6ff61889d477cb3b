class Node {
    var value: Int
    var next: Node?
    init(value: Int) { self.value = value }
}
let a = Node(value: 1)
let b = Node(value: 2)
a.next = b
b.next = a
print(a.next?.next?.value ?? 0)  // expect: 1
print(a)  // expect: Node
[a, b]  // expect: [Node, Node]
