#!/usr/bin/env python3
"""What the memory budget's per-allocation charge costs the interpreter.

Runs interpreter.py's cells through two `shoal` binaries taking turns, one
run each per round, best round each: SHOAL (this tree, with the budget) and
SHOAL_BASE (a build of a commit without it, e.g. main before the budget
landed). Printed as `bench accounting-NAME: shoal VALUE ms | base VALUE ms |
ratio R` (R = base / shoal: above 1 when this tree is faster; the budget's
target is R >= 0.95 on each case).
"""
import os
import subprocess
import sys
import tempfile

import interpreter

BASE = os.environ.get("SHOAL_BASE")
REPEAT = int(os.environ.get("BENCH_REPEAT", "9"))


def ms(binary, path):
    out = subprocess.run([binary, "exec", "--cells", "--timing", path], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{binary} failed on {path}:\n{out.stderr}")
    return float([l for l in out.stderr.splitlines() if l.startswith("timing:")][-1].split()[-2])


def main():
    if not BASE or not os.path.exists(BASE):
        sys.exit("set SHOAL_BASE to a shoal binary built without the memory budget")
    print(f"# {interpreter.SHOAL} against {BASE}, {REPEAT} alternating runs each, best")
    for name, swift, _ in interpreter.CASES:
        with tempfile.NamedTemporaryFile("w", suffix=".swift", delete=False) as f:
            f.write(swift)
        ours, base = [], []
        try:
            for _ in range(REPEAT):
                ours.append(ms(interpreter.SHOAL, f.name))
                base.append(ms(BASE, f.name))
        finally:
            os.unlink(f.name)
        s, b = min(ours), min(base)
        print(f"bench accounting-{name.removeprefix('interp-')}: shoal {s:.1f} ms | base {b:.1f} ms | ratio {b / s:.3f}")


if __name__ == "__main__":
    main()
