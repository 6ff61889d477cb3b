print("sea" + "horse")  // expect: seahorse
