let acc = 0.75
if acc > 0.9 {
    print("great")
} else if acc > 0.7 {
    print("good")  // expect: good
} else {
    print("poor")
}
