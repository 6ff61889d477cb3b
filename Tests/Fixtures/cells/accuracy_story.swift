let predictions = ["carp", "eel", "carp", "tuna"]
let truth = ["carp", "eel", "tuna", "tuna"]
let correct = zip(predictions, truth).filter { $0.0 == $0.1 }.count
let accuracy = Double(correct) / Double(truth.count)
print("accuracy: \(accuracy)")  // expect: accuracy: 0.75
