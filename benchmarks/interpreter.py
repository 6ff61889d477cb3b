#!/usr/bin/env python3
"""Shoal's cell interpreter against CPython on loop-heavy cells.

Each program runs as a notebook cell would: Shoal through `shoal exec --timing`
(the cell's own run time, reported by the Session), CPython through exec() of
the same program at module level. The two sides take turns, one run each per
round, and each keeps its best round (this machine's speed drifts by up to 2x
within minutes, so best-of alternating runs compares like with like). Printed
as `bench NAME: shoal VALUE ms | cpython VALUE ms | ratio R`, with R above 1
when Shoal is faster.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHOAL = os.environ.get("SHOAL", os.path.join(ROOT, ".build", "debug", "shoal"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "9"))

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
    (
        "interp-strings",
        "var parts = [String]()\nfor i in 0..<100_000 { parts.append(\"fish number \\(i)\") }\nlet text = parts.joined(separator: \", \")",
        "parts = []\nfor i in range(100_000):\n    parts.append(f\"fish number {i}\")\ntext = \", \".join(parts)\n",
    ),
]


def shoal_ms(path):
    """One run of the program's last cell, in milliseconds."""
    out = subprocess.run([SHOAL, "exec", "--cells", "--timing", path], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"shoal failed on {path}:\n{out.stderr}")
    lines = [l for l in out.stderr.splitlines() if l.startswith("timing:")]
    return float(lines[-1].split()[-2])


def python_ms(program):
    """One run of the program (for fib, of the call only), in milliseconds."""
    parts = program.split("r = fib(25)")
    env = {}
    if len(parts) == 2:
        exec(parts[0], env)
        start = time.perf_counter()
        exec("r = fib(25)", env)
    else:
        start = time.perf_counter()
        exec(program, env)
    return (time.perf_counter() - start) * 1000


def compare(swift, python):
    with tempfile.NamedTemporaryFile("w", suffix=".swift", delete=False) as f:
        f.write(swift)
        path = f.name
    shoal, cpython = [], []
    try:
        for _ in range(REPEAT):
            shoal.append(shoal_ms(path))
            cpython.append(python_ms(python))
    finally:
        os.unlink(path)
    return min(shoal), min(cpython)


def main():
    if not os.path.exists(SHOAL):
        sys.exit(f"{SHOAL} not found: run `swift build` first")
    print(f"# CPython {sys.version.split()[0]}, {REPEAT} alternating runs each, best")
    for name, swift, python in CASES:
        s, p = compare(swift, python)
        print(f"bench {name}: shoal {s:.1f} ms | cpython {p:.1f} ms | ratio {p / s:.2f}")


if __name__ == "__main__":
    main()
