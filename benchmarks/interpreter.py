#!/usr/bin/env python3
"""Shoal's cell interpreter against CPython on loop-heavy cells.

Each program runs as a notebook cell would: Shoal through `shoal exec --timing`
(the cell's own run time, reported by the Session), CPython through exec() of
the same program at module level. Every measurement is repeated and the median
is printed as `bench NAME: shoal VALUE ms | cpython VALUE ms | ratio R`, with R
above 1 when Shoal is faster.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHOAL = os.environ.get("SHOAL", os.path.join(ROOT, ".build", "debug", "shoal"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "7"))

CASES = [
    (
        "interp-loop-sum",
        "var total = 0\nfor i in 1...1_000_000 { total += i }",
        "total = 0\nfor i in range(1, 1_000_001):\n    total += i\n",
    ),
    (
        "interp-fib-25",
        "func fib(_ n: Int) -> Int {\n    if n < 2 { return n }\n    return fib(n - 1) + fib(n - 2)\n}\n// %%\nlet r = fib(25)",
        "def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\nr = fib(25)\n",
    ),
    (
        "interp-array-build",
        "var squares = [Int]()\nfor i in 0..<200_000 { squares.append(i * i) }\nvar evens = 0\nfor s in squares where s % 2 == 0 { evens += 1 }",
        "squares = []\nfor i in range(200_000):\n    squares.append(i * i)\nevens = 0\nfor s in squares:\n    if s % 2 == 0:\n        evens += 1\n",
    ),
    (
        "interp-closures",
        "let xs = Array(0..<100_000)\nlet total = xs.map { $0 * 2 }.filter { $0 % 3 == 0 }.reduce(0, +)",
        "xs = list(range(100_000))\ntotal = sum(x for x in (y * 2 for y in xs) if x % 3 == 0)\n",
    ),
]


def shoal_ms(program):
    """Median run time of the program's last cell, in milliseconds."""
    with tempfile.NamedTemporaryFile("w", suffix=".swift", delete=False) as f:
        f.write(program)
        path = f.name
    times = []
    try:
        for _ in range(REPEAT):
            out = subprocess.run([SHOAL, "exec", "--cells", "--timing", path], capture_output=True, text=True)
            if out.returncode != 0:
                sys.exit(f"shoal failed on {path}:\n{out.stderr}")
            lines = [l for l in out.stderr.splitlines() if l.startswith("timing:")]
            times.append(float(lines[-1].split()[-2]))
    finally:
        os.unlink(path)
    return statistics.median(times)


def python_ms(program):
    parts = program.split("r = fib(25)")
    times = []
    for _ in range(REPEAT):
        env = {}
        if len(parts) == 2:
            exec(parts[0], env)
            start = time.perf_counter()
            exec("r = fib(25)", env)
        else:
            start = time.perf_counter()
            exec(program, env)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    if not os.path.exists(SHOAL):
        sys.exit(f"{SHOAL} not found: run `swift build` first")
    print(f"# CPython {sys.version.split()[0]}, {REPEAT} runs each, median")
    for name, swift, python in CASES:
        s = shoal_ms(swift)
        p = python_ms(python)
        print(f"bench {name}: shoal {s:.1f} ms | cpython {p:.1f} ms | ratio {p / s:.2f}")


if __name__ == "__main__":
    main()
