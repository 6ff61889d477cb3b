#!/usr/bin/env python3
"""Shoal's user types against CPython: a struct-heavy and an enum-heavy cell.

`types-particles` moves 1,000 particles (structs of two position and two
velocity structs) 50 steps through a mutating method on the array's
elements; CPython runs the same with classes using __slots__. `types-eval`
evaluates a tree of ~4,000 nodes of an indirect enum 20 times with a
`switch`; CPython uses one class per case and a `match` statement (3.10+).

The setup (building the particles or the tree) is a first cell and is not
timed on either side; both sides must print the same result. The runs go
through interpreter.py's `compare` (alternating runs, best of each).
Printed as `bench NAME: shoal VALUE ms | cpython VALUE ms | ratio R`
(R above 1 when Shoal is faster).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interpreter import REPEAT, SHOAL, compare  # noqa: E402

PARTICLES_SWIFT = """\
struct Vec {
    var x: Double
    var y: Double
}
struct Particle {
    var position: Vec
    var velocity: Vec
    mutating func step(_ dt: Double) {
        position.x += velocity.x * dt
        position.y += velocity.y * dt
        if position.x < 0 || position.x > 100 { velocity.x = -velocity.x }
        if position.y < 0 || position.y > 100 { velocity.y = -velocity.y }
    }
}
var particles: [Particle] = []
for i in 0..<1000 {
    particles.append(Particle(position: Vec(x: Double(i % 100), y: Double(i % 37)),
                              velocity: Vec(x: Double(i % 7) - 3, y: Double(i % 5) - 2)))
}
// %%
for _ in 0..<50 {
    for i in 0..<particles.count { particles[i].step(0.1) }
}
print(particles[10].position.x, particles[999].velocity.y)
"""

PARTICLES_PY = """\
class Vec:
    __slots__ = ("x", "y")
    def __init__(self, x, y):
        self.x = x
        self.y = y
class Particle:
    __slots__ = ("position", "velocity")
    def __init__(self, position, velocity):
        self.position = position
        self.velocity = velocity
    def step(self, dt):
        p, v = self.position, self.velocity
        p.x += v.x * dt
        p.y += v.y * dt
        if p.x < 0 or p.x > 100:
            v.x = -v.x
        if p.y < 0 or p.y > 100:
            v.y = -v.y
particles = []
for i in range(1000):
    particles.append(Particle(Vec(float(i % 100), float(i % 37)), Vec(float(i % 7) - 3, float(i % 5) - 2)))
# %%
for _ in range(50):
    for i in range(len(particles)):
        particles[i].step(0.1)
print(particles[10].position.x, particles[999].velocity.y)
"""

EVAL_SWIFT = """\
indirect enum Expr {
    case number(Double)
    case add(Expr, Expr)
    case multiply(Expr, Expr)
    case negate(Expr)
}
func build(_ depth: Int, _ seed: Int) -> Expr {
    if depth == 0 { return .number(Double(seed % 10)) }
    switch seed % 3 {
    case 0: return .add(build(depth - 1, seed * 7 + 1), build(depth - 1, seed * 3 + 2))
    case 1: return .multiply(build(depth - 1, seed + 5), build(depth - 1, seed * 2 + 1))
    default: return .negate(build(depth - 1, seed + 1))
    }
}
func evaluate(_ e: Expr) -> Double {
    switch e {
    case let .number(v): return v
    case let .add(a, b): return evaluate(a) + evaluate(b)
    case let .multiply(a, b): return evaluate(a) * evaluate(b)
    case let .negate(a): return -evaluate(a)
    }
}
let tree = build(14, 1)
// %%
var total = 0.0
for _ in 0..<20 { total += evaluate(tree) }
print(total)
"""

EVAL_PY = """\
class Number:
    __slots__ = ("v",)
    def __init__(self, v): self.v = v
class Add:
    __slots__ = ("a", "b")
    def __init__(self, a, b): self.a, self.b = a, b
class Multiply:
    __slots__ = ("a", "b")
    def __init__(self, a, b): self.a, self.b = a, b
class Negate:
    __slots__ = ("a",)
    def __init__(self, a): self.a = a
def build(depth, seed):
    if depth == 0:
        return Number(float(seed % 10))
    r = seed % 3
    if r == 0:
        return Add(build(depth - 1, seed * 7 + 1), build(depth - 1, seed * 3 + 2))
    if r == 1:
        return Multiply(build(depth - 1, seed + 5), build(depth - 1, seed * 2 + 1))
    return Negate(build(depth - 1, seed + 1))
def evaluate(e):
    match e:
        case Number(v=v): return v
        case Add(a=a, b=b): return evaluate(a) + evaluate(b)
        case Multiply(a=a, b=b): return evaluate(a) * evaluate(b)
        case Negate(a=a): return -evaluate(a)
tree = build(14, 1)
# %%
total = 0.0
for _ in range(20):
    total += evaluate(tree)
print(total)
"""

CASES = [("types-particles", PARTICLES_SWIFT, PARTICLES_PY), ("types-eval", EVAL_SWIFT, EVAL_PY)]


def main():
    if not os.path.exists(SHOAL):
        sys.exit(f"{SHOAL} not found: run `swift build` first")
    print(f"# CPython {sys.version.split()[0]}, {REPEAT} alternating runs each, best")
    for name, swift, python in CASES:
        s, p = compare(name, swift, python)
        print(f"bench {name}: shoal {s:.1f} ms | cpython {p:.1f} ms | ratio {p / s:.2f}", flush=True)


if __name__ == "__main__":
    main()
