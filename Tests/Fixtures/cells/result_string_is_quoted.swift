"clownfish"
// expect: "clownfish"
