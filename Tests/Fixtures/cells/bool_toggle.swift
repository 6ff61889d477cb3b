var on = false
on.toggle()
print(on)  // expect: true
