print(Int(Double.nan))  // expect error: ValueError: Double value nan cannot be converted to Int because it is infinite, NaN or too large
