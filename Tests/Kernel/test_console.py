"""`jupyter console --kernel shoal` in a pseudo-terminal, typed into as a person would.

A cell runs and its value is printed as `Out[n]`; an unfinished line gets a
continuation prompt (the kernel's is_complete reply) and the block runs when
it is closed; an error prints its name and message and the session goes on.
"""
import os
import sys

import pexpect

import conftest  # noqa: F401  (installs the kernelspec)

CONSOLE = os.path.join(os.path.dirname(sys.executable), "jupyter-console")


ANSI = r"(?:\x1b\[[0-9;?]*[A-Za-z])*"


def out(n, value):
    """`Out[n]: value`, with the colour codes jupyter console puts between."""
    return ANSI.join(["Out\\[", str(n), "\\]: ", ""]) + value


def test_console_runs_cells_and_prints_results(tmp_path):
    # TERM=dumb: prompt_toolkit's plain line editor, with jupyter console's own key handling
    # (Enter asks the kernel whether the cell is complete).
    env = dict(os.environ, TERM="dumb", PROMPT_TOOLKIT_NO_CPR="1", JUPYTER_RUNTIME_DIR=str(tmp_path),
               JUPYTER_CONFIG_DIR=str(tmp_path / "config"))
    child = pexpect.spawn(CONSOLE, ["--kernel", "shoal"], env=env, encoding="utf-8", timeout=60, dimensions=(40, 160))
    try:
        child.expect(r"In \[1\]: ")
        child.send("let sizes = [8, 32, 128]\r")
        child.expect(r"In \[2\]: ")
        child.send("sizes.map { 1000 / $0 }\r")
        child.expect(out(2, r"\[125, 31, 7\]"))
        child.expect(r"In \[3\]: ")
        # An open brace: the kernel says incomplete, so Enter starts a new line instead of running.
        child.send("for size in sizes {\r")
        child.send('    print("batch \\(size)")\r')
        child.send("}\r")
        child.expect(r"batch 8\s+batch 32\s+batch 128")
        assert "error" not in child.before, child.before
        child.expect(r"In \[4\]: ")
        child.send("sizes[3]\r")
        child.expect("IndexError")
        child.expect(r"In \[5\]: ")
        child.send("sizes.count\r")
        child.expect(out(5, "3"))
    finally:
        child.close(force=True)
