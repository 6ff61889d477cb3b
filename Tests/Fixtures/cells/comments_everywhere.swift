// a comment
let x = 1 /* inline */ + 2
/* block
   comment */
print(x)  // expect: 3
