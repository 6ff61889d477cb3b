// A folder "augmented" by hand before it was split: every flipped copy is a
// new sample, so comparing sample ids finds nothing; comparing the pictures
// finds the copies whose original went to the other part.
// %%
let fish = Fish.synthetic(seed: 7, perClass: 10, imageSize: 64)
let leaky = fish.addingFlippedCopies(20, seed: 1)
print(leaky.count - fish.count)  // expect: 20
// %%
let (train, test) = leaky.split(0.8, seed: 42)
overlaps(train, test) > 0  // expect: true
// %%
let leaks = findLeaks(train, test)
leaks.count == overlaps(train, test)  // expect: true
// %%
let (together, apart) = leaky.split(0.8, seed: 42, keepLookAlikesTogether: true)
print(together.count + apart.count == leaky.count, overlaps(together, apart), findLeaks(together, apart).count)  // expect: true 0 0
// %%
leaky.duplicates().count >= 20  // expect: true
// %%
fish.duplicates(threshold: 11)  // expect error: ValueError: threshold is how far two look-alikes may be from identical once lined up: 0 to 10, 1.25 by default; got 11
