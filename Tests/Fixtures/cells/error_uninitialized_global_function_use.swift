func show() { print(later) }  // expect error: NameError: cannot find 'later' in scope
let later = 1
