#!/usr/bin/env python3
"""The module import graph points only downward, and Package.swift declares it.

Reads the targets and their dependencies from Package.swift, the `import`
lines of every Swift file of each target, and the module table of
ARCHITECTURE.md (a module may use only modules in rows above its own). Fails,
naming file and line, when:

- a source imports a module of the package, or a product of a package
  dependency, that its target does not declare;
- a module declares a dependency that none of its files imports;
- a module (outside Tests/) uses a module that is not above it in the table,
  or is missing from the table.

Run by `make test` (and `python3 Tests/check_import_graph.py --self-test`
checks that the checker catches each of these on a made-up package).
"""
import os
import re
import sys
import tempfile

# Modules of the toolchain, importable by any target without a declaration.
SYSTEM = {"Foundation", "FoundationEssentials", "Dispatch", "Synchronization", "Glibc", "Darwin", "Testing",
          "XCTest", "os", "Musl"}


def balanced(text, start, open_ch, close_ch):
    """The text between text[start] == open_ch and its matching close_ch."""
    depth = 0
    in_string = False
    for i in range(start, len(text)):
        ch = text[i]
        if ch == '"' and text[i - 1] != "\\":
            in_string = not in_string
        if in_string:
            continue
        if ch == open_ch:
            depth += 1
        elif ch == close_ch:
            depth -= 1
            if depth == 0:
                return text[start + 1:i]
    raise ValueError("unbalanced " + open_ch)


def strip_comments(text):
    return re.sub(r"//[^\n]*", "", text)


def parse_package(path):
    """name -> {kind, deps (module names), path}; and the set of product modules."""
    text = strip_comments(open(path, encoding="utf-8").read())
    targets = {}
    for m in re.finditer(r"\.(target|executableTarget|testTarget|systemLibrary)\(", text):
        body = balanced(text, m.end() - 1, "(", ")")
        name = re.search(r'name:\s*"([^"]+)"', body).group(1)
        deps = []
        d = re.search(r"dependencies:\s*\[", body)
        if d:
            inner = balanced(body, d.end() - 1, "[", "]")
            for p in re.finditer(r'\.product\(\s*name:\s*"([^"]+)"', inner):
                deps.append(p.group(1))
            inner = re.sub(r"\.product\([^)]*\)", "", inner)
            deps += re.findall(r'"([^"]+)"', inner)
        p = re.search(r'path:\s*"([^"]+)"', body)
        kind = m.group(1)
        folder = p.group(1) if p else os.path.join("Tests" if kind == "testTarget" else "Sources", name)
        targets[name] = {"kind": kind, "deps": deps, "path": folder}
    return targets


def parse_table(path):
    """Module names in the order of ARCHITECTURE.md's module table."""
    order = []
    in_table = False
    for line in open(path, encoding="utf-8"):
        if line.startswith("| module |"):
            in_table = True
            continue
        if in_table:
            if not line.startswith("|"):
                break
            first = line.split("|")[1]
            for name in re.findall(r"`([A-Za-z][\w-]*)`", first):
                order.append(name)
    return order


IMPORT = re.compile(r"^\s*(?:@testable\s+|@_exported\s+|@preconcurrency\s+)*import\s+"
                    r"(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?(\w+)")


def imports_of(folder):
    """(module, file, line number) for every import line under folder."""
    found = []
    for root, _, files in os.walk(folder):
        for f in sorted(files):
            if not f.endswith(".swift"):
                continue
            p = os.path.join(root, f)
            in_text = False  # inside a multi-line string literal (embedded Python, say)
            for n, line in enumerate(open(p, encoding="utf-8"), 1):
                if line.count('"""') % 2 == 1:
                    in_text = not in_text
                    continue
                m = None if in_text else IMPORT.match(line)
                if m:
                    found.append((m.group(1), p, n))
    return found


def check(root):
    targets = parse_package(os.path.join(root, "Package.swift"))
    order = parse_table(os.path.join(root, "ARCHITECTURE.md"))
    rank = {name: i for i, name in enumerate(order)}
    problems = []
    for name, t in sorted(targets.items()):
        if t["kind"] == "systemLibrary":
            continue
        folder = os.path.join(root, t["path"])
        imported = imports_of(folder)
        used = set()
        for module, path, line in imported:
            where = f"{os.path.relpath(path, root)}:{line}"
            if module in SYSTEM:
                continue
            used.add(module)
            if module not in t["deps"]:
                problems.append(f"{where}: {name} imports {module}, which Package.swift does not declare for it")
        for dep in t["deps"]:
            # A test target may depend on a module only to have it built.
            if dep not in used and t["kind"] != "testTarget":
                problems.append(f"Package.swift: {name} declares {dep}, which none of its files imports")
        if t["kind"] == "testTarget":
            continue
        if name not in rank:
            problems.append(f"ARCHITECTURE.md: module {name} is missing from the module table")
            continue
        for dep in sorted(set(t["deps"]) | used):
            if dep in targets and dep in rank and rank[dep] >= rank[name]:
                problems.append(f"{name} uses {dep}, which is not above it in ARCHITECTURE.md's module table "
                                "(an upward or sideways edge)")
            elif dep in targets and dep not in rank:
                problems.append(f"ARCHITECTURE.md: module {dep} (used by {name}) is missing from the module table")
    return problems


def self_test():
    """The checker finds an upward edge, an undeclared import and an unused declaration."""
    with tempfile.TemporaryDirectory() as d:
        def write(rel, text):
            p = os.path.join(d, rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            open(p, "w", encoding="utf-8").write(text)
        write("Package.swift", 'let p = Package(targets: [\n'
              '  .target(name: "Low", dependencies: ["High"]),\n'
              '  .target(name: "High", dependencies: ["Low", .product(name: "Lib", package: "lib")]),\n])\n')
        write("ARCHITECTURE.md", "| module | owns |\n| --- | --- |\n| `Low` | a |\n| `High` | b |\n\n")
        write("Sources/Low/A.swift", "import Foundation\nimport High\n")
        write("Sources/High/B.swift", "import Low\nimport Other\n")
        problems = "\n".join(check(d))
        expected = ["Low uses High, which is not above it", "imports Other, which Package.swift does not declare",
                    "High declares Lib, which none of its files imports"]
        missing = [e for e in expected if e not in problems]
        if missing:
            sys.exit("self-test: the checker missed: " + "; ".join(missing) + "\n" + problems)
        write("Sources/High/B.swift", "import Low\nimport Lib\n")
        write("Package.swift", 'let p = Package(targets: [\n  .target(name: "Low"),\n'
              '  .target(name: "High", dependencies: ["Low", .product(name: "Lib", package: "lib")]),\n])\n')
        write("Sources/Low/A.swift", "import Foundation\n")
        if check(d):
            sys.exit("self-test: a clean package was refused:\n" + "\n".join(check(d)))
    print("import graph checker: self-test passed")


def main():
    if "--self-test" in sys.argv:
        self_test()
        return
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    problems = check(root)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        sys.exit(f"import graph: {len(problems)} problem(s)")
    targets = parse_package(os.path.join(root, "Package.swift"))
    print(f"import graph: {len(targets)} targets, every import declared, every edge points down")


if __name__ == "__main__":
    main()
