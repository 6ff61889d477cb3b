var n = 0
while true { n += 1 }  // expect error: ResourceLimit: the cell ran more than 5000000 steps; is a loop missing its exit?
