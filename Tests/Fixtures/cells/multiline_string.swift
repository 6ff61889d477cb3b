let s = """
    Fish
      swim
    """
print(s)
// expect: Fish
// expect:   swim
