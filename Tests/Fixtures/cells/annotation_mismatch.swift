let x: Int = "three"  // expect error: TypeError: cannot convert value of type 'String' to specified type 'Int'
