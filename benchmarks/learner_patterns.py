#!/usr/bin/env python3
"""Shoal against CPython on small things learners write that the twelve
programs of interpreter.py do not cover: a dictionary of Int keys set and
read, a string grown by `+=`, an array of Doubles changed in place, a grid
changed through `grid[i][j] +=`, a `while` loop over a Double, `max`/`min`
of two numbers, `if let` on a dictionary read, an array of structs built and
summed (CPython: a class with __slots__), a mean and variance of Doubles.

Found by a survey in the 2026-12-05 evening session (see benchmarks/README.md,
*Loops with fewer instructions, cheaper hashing and joins, and the slow
paths learners hit*): several ran far slower than CPython then. Each goes
through interpreter.py's `compare` (Shoal twice in one process, the second
run timed; CPython nine times, best; both must print the same). Printed as
`bench NAME: shoal VALUE ms | cpython VALUE ms | ratio R` (R above 1 when
Shoal is faster). No target: these are watched, not promised.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interpreter import REPEAT, compare  # noqa: E402

CASES = [
("learner-dict-int", 'var d = [Int: Int]()\nfor i in 0..<200_000 { d[i % 1000] = i }\nvar t = 0\nfor i in 0..<200_000 { t += d[i % 1000] ?? 0 }\nprint(t)',
 'd = {}\nfor i in range(200_000):\n    d[i % 1000] = i\nt = 0\nfor i in range(200_000):\n    t += d.get(i % 1000, 0)\nprint(t)\n'),
("learner-string-append", 'var s = ""\nfor i in 0..<100_000 { s += "x" }\nprint(s.count)',
 's = ""\nfor i in range(100_000):\n    s += "x"\nprint(len(s))\n'),
("learner-double-array", 'var xs = Array(repeating: 1.0, count: 100_000)\nfor _ in 0..<5 { for i in 0..<xs.count { xs[i] = xs[i] * 0.5 + 1.0 } }\nprint(xs[0])',
 'xs = [1.0] * 100_000\nfor _ in range(5):\n    for i in range(len(xs)):\n        xs[i] = xs[i] * 0.5 + 1.0\nprint(xs[0])\n'),
("learner-grid", 'var grid = Array(repeating: Array(repeating: 0, count: 100), count: 100)\nfor k in 0..<30 { for i in 0..<100 { for j in 0..<100 { grid[i][j] += k } } }\nprint(grid[5][5])',
 'grid = [[0] * 100 for _ in range(100)]\nfor k in range(30):\n    for i in range(100):\n        for j in range(100):\n            grid[i][j] += k\nprint(grid[5][5])\n'),
("learner-while-double", 'var x = 0.0\nvar n = 0\nwhile x < 50_000.0 { x += 0.1; n += 1 }\nprint(n)',
 'x = 0.0\nn = 0\nwhile x < 50_000.0:\n    x += 0.1\n    n += 1\nprint(n)\n'),
("learner-minmax", 'var best = 0\nvar worst = 1_000_000\nfor i in 0..<300_000 { let v = (i * 7919) % 10007; best = max(best, v); worst = min(worst, v) }\nprint(best, worst)',
 'best = 0\nworst = 1_000_000\nfor i in range(300_000):\n    v = (i * 7919) % 10007\n    best = max(best, v)\n    worst = min(worst, v)\nprint(best, worst)\n'),
("learner-optional-bind", 'let names = ["cod": 3, "eel": 5]\nvar t = 0\nfor i in 0..<200_000 { if let n = names[i % 2 == 0 ? "cod" : "pike"] { t += n } }\nprint(t)',
 'names = {"cod": 3, "eel": 5}\nt = 0\nfor i in range(200_000):\n    n = names.get("cod" if i % 2 == 0 else "pike")\n    if n is not None:\n        t += n\nprint(t)\n'),
("learner-struct-array", 'struct Fish { var name: String; var length: Double }\nvar fish = [Fish]()\nfor i in 0..<50_000 { fish.append(Fish(name: "f\\(i % 10)", length: Double(i % 100))) }\nvar total = 0.0\nfor f in fish { total += f.length }\nprint(total)',
 'class Fish:\n    __slots__ = ("name", "length")\n    def __init__(self, name, length):\n        self.name = name\n        self.length = length\nfish = []\nfor i in range(50_000):\n    fish.append(Fish(f"f{i % 10}", float(i % 100)))\ntotal = 0.0\nfor f in fish:\n    total += f.length\nprint(total)\n'),
("learner-mean-var", 'let data = (0..<200_000).map { Double($0 % 100) }\nvar sum = 0.0\nfor x in data { sum += x }\nlet mean = sum / Double(data.count)\nvar v = 0.0\nfor x in data { v += (x - mean) * (x - mean) }\nprint(mean, v / Double(data.count))',
 'data = [float(i % 100) for i in range(200_000)]\nsum_ = 0.0\nfor x in data:\n    sum_ += x\nmean = sum_ / len(data)\nv = 0.0\nfor x in data:\n    v += (x - mean) * (x - mean)\nprint(mean, v / len(data))\n'),
]


def main():
    only = sys.argv[1:]
    print(f"# CPython {sys.version.split()[0]}, {REPEAT} alternating runs each, best")
    for name, swift, python in CASES:
        if only and not any(word in name for word in only):
            continue
        s, p = compare(name, swift, python)
        print(f"bench {name}: shoal {s:.1f} ms | cpython {p:.1f} ms | ratio {p / s:.2f}", flush=True)


if __name__ == "__main__":
    main()
