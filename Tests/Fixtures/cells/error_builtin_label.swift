print(1, sep: "-")  // expect error: TypeError: incorrect argument label in call (have 'sep:', expected 'separator:')
