extension CoreBuiltins {
    /// `Set<T>`: construction, membership, changes and set algebra. The
    /// sequence methods (`map`, `filter`, `sorted`, `min`…) come from
    /// `registerSequences`, as for arrays.
    static func registerSets(_ r: BuiltinRegistry) {
        r.addType("Set", doc: "Unique values without duplicates, such as Set([\"perch\", \"bass\"]). "
                  + "Shoal keeps a set's elements in the order they were first inserted.")
        r.addFunction("Set() -> Set<Any>", doc: "An empty set.", example: "var seen = Set<String>()") { _, _ in
            .set(OrderedSet())
        }
        r.addFunction("Set(_ elements: [Any]) -> Set<Any>", doc: "The distinct elements of an array, range or string.",
                      example: "let species = Set(labels)", arguments: SequenceArgument.self) { elements, rt in
            let items = try elements.elements(rt)
            try Memory.charge(Memory.values(items.count, each: Memory.entryBytes), "this set")
            return .set(OrderedSet(items))
        }

        let set = OrderedSet.self
        r.addProperty(on: "Set", "count: Int", doc: "The number of elements.", receiver: set) { s, _ in .int(s.count) }
        r.addProperty(on: "Set", "isEmpty: Bool", doc: "Whether there are no elements.", receiver: set) { s, _ in
            .bool(s.isEmpty)
        }
        r.addProperty(on: "Set", "first: Element?", doc: "An element of the set (the first inserted), or nil when empty.",
                      receiver: set) { s, _ in
            .optional(s.items.first)
        }
        r.addMethod(on: "Set", "contains(_ member: Element) -> Bool", doc: "Whether the set holds the element (fast).",
                    example: "seen.contains(\"perch\")", receiver: set, arguments: Value.self) { s, member, _ in
            .bool(s.contains(member))
        }
        r.addMutatingMethod(on: "Set", "insert(_ newMember: Element) -> (inserted: Bool, memberAfterInsert: Element)",
                            doc: "Adds the element unless it is already there.", example: "seen.insert(\"perch\")",
                            receiver: set, arguments: Value.self) { s, member, _ in
            try Memory.charge(Memory.entryBytes, "this set")
            let inserted = s.insert(member)
            return .tuple(TupleValue([.bool(inserted), member], labels: ["inserted", "memberAfterInsert"]))
        }
        r.addMutatingMethod(on: "Set", "remove(_ member: Element) -> Element?",
                            doc: "Removes the element; returns it, or nil when it was not there.",
                            receiver: set, arguments: Value.self) { s, member, _ in
            .optional(s.remove(member))
        }
        r.addMutatingMethod(on: "Set", "removeAll()", doc: "Removes every element.", receiver: set) { s, _ in
            s.removeAll()
            return .void
        }

        // Set algebra: the other operand may be any sequence, as in Swift.
        let algebra: [(String, String, (OrderedSet, OrderedSet) -> OrderedSet)] = [
            ("union", "The elements of both.", { a, b in OrderedSet(a.items + b.items) }),
            ("intersection", "The elements in both.", { a, b in OrderedSet(a.items.filter(b.contains)) }),
            ("subtracting", "The elements not in the other.", { a, b in OrderedSet(a.items.filter { !b.contains($0) }) }),
            ("symmetricDifference", "The elements in one but not both.", { a, b in
                OrderedSet(a.items.filter { !b.contains($0) } + b.items.filter { !a.contains($0) })
            }),
        ]
        for (name, doc, op) in algebra {
            r.addMethod(on: "Set", "\(name)(_ other: Set<Element>) -> Set<Element>", doc: doc,
                        example: "a.\(name)(b)", receiver: set, arguments: SequenceArgument.self) { s, other, rt in
                let b = OrderedSet(try other.elements(rt))
                try Memory.charge(Memory.values(s.count + b.count, each: Memory.entryBytes), "this set")
                return .set(op(s, b))
            }
            let formName = name == "subtracting" ? "subtract" : "form" + name.prefix(1).uppercased() + name.dropFirst()
            r.addMutatingMethod(on: "Set", "\(formName)(_ other: Set<Element>)", doc: doc + " Changes the set in place.",
                                receiver: set, arguments: SequenceArgument.self) { s, other, rt in
                let b = OrderedSet(try other.elements(rt))
                try Memory.charge(Memory.values(b.count, each: Memory.entryBytes), "this set")
                s = op(s, b)
                return .void
            }
        }
        let tests: [(String, String, (OrderedSet, OrderedSet) -> Bool)] = [
            ("isSubset(of other: Set<Element>)", "Whether every element is also in the other.", { a, b in
                a.items.allSatisfy(b.contains)
            }),
            ("isSuperset(of other: Set<Element>)", "Whether every element of the other is also here.", { a, b in
                b.items.allSatisfy(a.contains)
            }),
            ("isDisjoint(with other: Set<Element>)", "Whether the two have no element in common.", { a, b in
                !a.items.contains(where: b.contains)
            }),
            ("isStrictSubset(of other: Set<Element>)", "A subset with fewer elements.", { a, b in
                a.count < b.count && a.items.allSatisfy(b.contains)
            }),
        ]
        for (decl, doc, test) in tests {
            r.addMethod(on: "Set", decl + " -> Bool", doc: doc, receiver: set, arguments: SequenceArgument.self) { s, other, rt in
                .bool(test(s, OrderedSet(try other.elements(rt))))
            }
        }
    }
}
