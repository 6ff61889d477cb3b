print(1 < 2 < 3)  // expect error: SyntaxError: adjacent operators are in non-associative precedence group 'ComparisonPrecedence'
