#!/usr/bin/env python3
"""What the memory budget's per-allocation charge costs the interpreter.

Runs the twelve programs of interpreter.py through two `shoal` binaries
taking turns, one run each per round, best round each: SHOAL (this tree, with
the budget; default `.build-kernel/debug/shoal`, what `make kernel` builds)
and SHOAL_BASE (the same tree built with the charge compiled out; default
`.build-nobudget/debug/shoal`):

    swift build --product shoal --static-swift-stdlib --scratch-path .build-nobudget -Xswiftc -DSHOAL_NO_BUDGET

Both print the same output or the script stops. Printed as `bench
accounting-NAME: shoal VALUE ms | base VALUE ms | ratio R` (R = base / shoal:
above 1 when this tree is faster; the budget's target is R >= 0.95), then
the geometric mean of the twelve. Arguments pick cases by words in their names.
"""
import os
import sys
import tempfile

import interpreter

ROOT = interpreter.ROOT
SHOAL = os.environ.get("SHOAL", os.path.join(ROOT, ".build-kernel", "debug", "shoal"))
BASE = os.environ.get("SHOAL_BASE", os.path.join(ROOT, ".build-nobudget", "debug", "shoal"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "9"))


def main():
    for binary in (SHOAL, BASE):
        if not os.path.exists(binary):
            sys.exit(f"{binary} not found (see this script's docstring for the base build)")
    only = sys.argv[1:]
    print(f"# {SHOAL} against {BASE}, {REPEAT} alternating runs each, best")
    results = []
    for name, swift, _ in interpreter.CASES:
        if only and not any(word in name for word in only):
            continue
        with tempfile.NamedTemporaryFile("w", suffix=".swift", delete=False) as f:
            f.write(swift)
        ours, base = [], []
        try:
            for _ in range(REPEAT):
                ms, ours_out = interpreter.shoal_run(f.name, SHOAL)
                ours.append(ms)
                ms, base_out = interpreter.shoal_run(f.name, BASE)
                base.append(ms)
                if ours_out != base_out:
                    sys.exit(f"{name}: this tree printed {ours_out!r}, the base {base_out!r}")
        finally:
            os.unlink(f.name)
        s, b = min(ours), min(base)
        results.append((s, b))
        print(f"bench accounting-{name.removeprefix('interp-')}: shoal {s:.1f} ms | base {b:.1f} ms | ratio {b / s:.3f}",
              flush=True)
    if len(results) > 1:
        s, b = interpreter.geomean([r[0] for r in results]), interpreter.geomean([r[1] for r in results])
        print(f"bench accounting-geomean-{len(results)}: shoal {s:.1f} ms | base {b:.1f} ms | ratio {b / s:.3f}")


if __name__ == "__main__":
    main()
