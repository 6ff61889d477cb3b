var loops = 0
// %%
while true { loops += 1 }  // expect error: ResourceLimit: the cell ran more than 5000000 steps; is a loop missing its exit?
// %%
print(loops > 0)  // expect: true
