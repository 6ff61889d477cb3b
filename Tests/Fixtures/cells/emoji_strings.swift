let fish = "🐟🐠"
print(fish.count)  // expect: 2
print("\(fish)!")  // expect: 🐟🐠!
