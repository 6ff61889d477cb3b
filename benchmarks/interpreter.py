#!/usr/bin/env python3
"""Shoal's cell interpreter against CPython on loop-heavy cells.

Each program runs as a notebook cell would: Shoal through `shoal exec --timing`
(the cell's own run time, reported by the Session), CPython through exec() of
the same program at module level. The two sides take turns, one run each per
round, and each keeps its best round (this machine's speed drifts by up to 2x
within minutes, so best-of alternating runs compares like with like). Printed
as `bench NAME: shoal VALUE ms | cpython VALUE ms | ratio R`, with R above 1
when Shoal is faster.

The Shoal side is the kernel binary (`make kernel`, `.build-kernel`), the one
Jupyter starts for a learner: every module optimised, swift-syntax's parser
too. The development build (`.build`) parses with an unoptimised parser;
`SHOAL=.build/debug/shoal` measures it.
"""
import math
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHOAL = os.environ.get("SHOAL", os.path.join(ROOT, ".build-kernel", "debug", "shoal"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "9"))

CASES = [
    (
        'interp-loop-sum',
        'var total = 0\nfor i in 1...1_000_000 { total += i }\nprint(total)',
        'total = 0\nfor i in range(1, 1_000_001):\n    total += i\nprint(total)\n',
    ),
    (
        'interp-fib-25',
        'func fib(_ n: Int) -> Int {\n    if n < 2 { return n }\n    return fib(n - 1) + fib(n - 2)\n}\n// %%\nlet r = fib(25)\nprint(r)',
        'def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n# %%\nr = fib(25)\nprint(r)\n',
    ),
    (
        'interp-array-build',
        'var squares = [Int]()\nfor i in 0..<200_000 { squares.append(i * i) }\nvar evens = 0\nfor s in squares where s % 2 == 0 { evens += 1 }\nprint(evens)',
        'squares = []\nfor i in range(200_000):\n    squares.append(i * i)\nevens = 0\nfor s in squares:\n    if s % 2 == 0:\n        evens += 1\nprint(evens)\n',
    ),
    (
        'interp-matrix-product',
        'let n = 60\nvar a = [[Double]]()\nvar b = [[Double]]()\nfor i in 0..<n {\n    var ra = [Double]()\n    var rb = [Double]()\n    for j in 0..<n { ra.append(Double(i + j) / 10.0); rb.append(Double(i - j) / 10.0) }\n    a.append(ra); b.append(rb)\n}\nvar c = [[Double]]()\nfor i in 0..<n {\n    var row = Array(repeating: 0.0, count: n)\n    for k in 0..<n {\n        let aik = a[i][k]\n        let bk = b[k]\n        for j in 0..<n { row[j] += aik * bk[j] }\n    }\n    c.append(row)\n}\nprint(c[3][7])',
        'n = 60\na = []\nb = []\nfor i in range(n):\n    ra = []\n    rb = []\n    for j in range(n):\n        ra.append((i + j) / 10.0)\n        rb.append((i - j) / 10.0)\n    a.append(ra)\n    b.append(rb)\nc = []\nfor i in range(n):\n    row = [0.0] * n\n    for k in range(n):\n        aik = a[i][k]\n        bk = b[k]\n        for j in range(n):\n            row[j] += aik * bk[j]\n    c.append(row)\nprint(c[3][7])\n',
    ),
    (
        'interp-closure-calls',
        'let scale = 3\nlet f = { (x: Int) -> Int in x * scale + 1 }\nvar acc = 0\nfor i in 0..<200_000 { acc += f(i) % 7 }\nprint(acc)',
        'scale = 3\nf = lambda x: x * scale + 1\nacc = 0\nfor i in range(200_000):\n    acc += f(i) % 7\nprint(acc)\n',
    ),
    (
        'interp-closures',
        'let xs = Array(0..<100_000)\nlet total = xs.map { $0 * 2 }.filter { $0 % 3 == 0 }.reduce(0, +)\nprint(total)',
        'xs = list(range(100_000))\ntotal = sum(x for x in (y * 2 for y in xs) if x % 3 == 0)\nprint(total)\n',
    ),
    (
        'interp-sorted-by',
        'var lengths = [Int]()\nvar seed = 42\nfor _ in 0..<50_000 { seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648; lengths.append(seed % 1000) }\nlet ordered = lengths.sorted(by: { $0 > $1 })\nprint(ordered[0], ordered[49_999])',
        'from functools import cmp_to_key\nlengths = []\nseed = 42\nfor _ in range(50_000):\n    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648\n    lengths.append(seed % 1000)\nordered = sorted(lengths, key=cmp_to_key(lambda a, b: -1 if a > b else (1 if a < b else 0)))\nprint(ordered[0], ordered[49_999])\n',
    ),
    (
        'interp-word-count',
        'let names = ["cod", "trout", "salmon", "perch", "pike", "carp", "eel", "bass"]\nvar words = [String]()\nfor i in 0..<100_000 { words.append(names[(i * 7 + i / 3) % 8]) }\nvar counts = [String: Int]()\nfor w in words { counts[w, default: 0] += 1 }\nprint(counts["cod"]!)',
        'names = ["cod", "trout", "salmon", "perch", "pike", "carp", "eel", "bass"]\nwords = []\nfor i in range(100_000):\n    words.append(names[(i * 7 + i // 3) % 8])\ncounts = {}\nfor w in words:\n    counts[w] = counts.get(w, 0) + 1\nprint(counts["cod"])\n',
    ),
    (
        'interp-strings',
        'var parts = [String]()\nfor i in 0..<100_000 { parts.append("fish number \\(i)") }\nlet text = parts.joined(separator: ", ")\nprint(text.count)',
        'parts = []\nfor i in range(100_000):\n    parts.append(f"fish number {i}")\ntext = ", ".join(parts)\nprint(len(text))\n',
    ),
    (
        'interp-prime-sieve',
        'let limit = 300_000\nvar isPrime = Array(repeating: true, count: limit + 1)\nisPrime[0] = false; isPrime[1] = false\nvar p = 2\nwhile p * p <= limit {\n    if isPrime[p] { var m = p * p; while m <= limit { isPrime[m] = false; m += p } }\n    p += 1\n}\nvar count = 0\nfor b in isPrime where b { count += 1 }\nprint(count)',
        'limit = 300_000\nis_prime = [True] * (limit + 1)\nis_prime[0] = False\nis_prime[1] = False\np = 2\nwhile p * p <= limit:\n    if is_prime[p]:\n        m = p * p\n        while m <= limit:\n            is_prime[m] = False\n            m += p\n    p += 1\ncount = 0\nfor b in is_prime:\n    if b:\n        count += 1\nprint(count)\n',
    ),
    (
        'interp-n-queens-8',
        'func safe(_ placed: [Int], _ col: Int) -> Bool {\n    let row = placed.count\n    for (r, c) in placed.enumerated() {\n        if c == col || abs(c - col) == row - r { return false }\n    }\n    return true\n}\nfunc solve(_ placed: [Int], _ n: Int) -> Int {\n    if placed.count == n { return 1 }\n    var total = 0\n    for c in 0..<n where safe(placed, c) { total += solve(placed + [c], n) }\n    return total\n}\nprint(solve([], 8))',
        'def safe(placed, col):\n    row = len(placed)\n    for r, c in enumerate(placed):\n        if c == col or abs(c - col) == row - r:\n            return False\n    return True\ndef solve(placed, n):\n    if len(placed) == n:\n        return 1\n    total = 0\n    for c in range(n):\n        if safe(placed, c):\n            total += solve(placed + [c], n)\n    return total\nprint(solve([], 8))\n',
    ),
    (
        'interp-particles',
        'var ps = [(x: Double, y: Double, vx: Double, vy: Double)]()\nfor i in 0..<1000 { ps.append((x: Double(i), y: 0.0, vx: 1.0, vy: Double(i % 7))) }\nfor _ in 0..<50 {\n    for i in 0..<ps.count {\n        var p = ps[i]\n        p.vy -= 0.1\n        p.x += p.vx * 0.01\n        p.y += p.vy * 0.01\n        if p.y < 0 { p.y = -p.y; p.vy = -p.vy * 0.9 }\n        ps[i] = p\n    }\n}\nprint(ps[10].y)',
        'ps = []\nfor i in range(1000):\n    ps.append((float(i), 0.0, 1.0, float(i % 7)))\nfor _ in range(50):\n    for i in range(len(ps)):\n        x, y, vx, vy = ps[i]\n        vy -= 0.1\n        x += vx * 0.01\n        y += vy * 0.01\n        if y < 0:\n            y = -y\n            vy = -vy * 0.9\n        ps[i] = (x, y, vx, vy)\nprint(ps[10][1])\n',
    ),
]


def shoal_run(path, binary=None):
    """One run: the last cell's time in milliseconds and everything printed."""
    out = subprocess.run([binary or SHOAL, "exec", "--cells", "--timing", path], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{binary or SHOAL} failed on {path}:\n{out.stderr}")
    lines = [l for l in out.stderr.splitlines() if l.startswith("timing:")]
    return float(lines[-1].split()[-2]), out.stdout


def python_run(program):
    """One run of the program's last cell (earlier cells run untimed), in
    milliseconds, and everything it printed."""
    *setup, timed = program.split("# %%\n")
    printed = []
    env = {"print": lambda *args: printed.append(" ".join(str(a) for a in args))}
    for cell in setup:
        exec(cell, env)
    start = time.perf_counter()
    exec(timed, env)
    elapsed = (time.perf_counter() - start) * 1000
    return elapsed, "".join(line + "\n" for line in printed)


def compare(name, swift, python):
    # Both sides are timed warm. CPython runs each program nine times in this
    # one process and keeps its best; Shoal runs it twice in one process and
    # the second run is timed, so that neither side's number holds what a
    # process pays once (Shoal's first cell: the first conformance and
    # generic-metadata lookups, the first touch of the parser's code, about
    # 3 ms; see benchmarks/README.md).
    with tempfile.NamedTemporaryFile("w", suffix=".swift", delete=False) as f:
        f.write(swift + "\n// %%\n" + swift)
        path = f.name
    shoal, cpython = [], []
    try:
        for _ in range(REPEAT):
            ms, shoal_out = shoal_run(path)
            shoal.append(ms)
            ms, python_out = python_run(python)
            cpython.append(ms)
            # The same algorithm must give the same answer on both sides
            # (Shoal printed it twice: the untimed run and the timed one).
            if shoal_out != python_out * 2:
                sys.exit(f"{name}: Shoal printed {shoal_out!r}, CPython {python_out!r}")
    finally:
        os.unlink(path)
    return min(shoal), min(cpython)


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values))


def main():
    if not os.path.exists(SHOAL):
        sys.exit(f"{SHOAL} not found: run `swift build` first")
    only = sys.argv[1:]
    print(f"# CPython {sys.version.split()[0]}, {REPEAT} alternating runs each, best")
    results = []
    for name, swift, python in CASES:
        if only and not any(word in name for word in only):
            continue
        s, p = compare(name, swift, python)
        results.append((s, p))
        print(f"bench {name}: shoal {s:.1f} ms | cpython {p:.1f} ms | ratio {p / s:.2f}", flush=True)
    if len(results) > 1:
        s = geomean([r[0] for r in results])
        p = geomean([r[1] for r in results])
        print(f"bench interp-geomean-{len(results)}: shoal {s:.1f} ms | cpython {p:.1f} ms | ratio {p / s:.2f}")


if __name__ == "__main__":
    main()
