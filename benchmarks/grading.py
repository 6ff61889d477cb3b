"""Grading speed: `shoal grade` against nbgrader's `autograde`, in one run.

Shoal grades 40 submissions of lesson 1 (the data-splits lesson, solutions in
place). nbgrader autogrades 40 submissions of an equivalent Python
assignment: the same steps (240 labelled samples, a stratified seeded split,
an overlap count) with the same two exercises and their tests, each
submission in its own ipykernel as nbgrader does. Time per submission.
Run by `make bench`.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHOAL = os.path.join(ROOT, ".build", "debug", "shoal")
COUNT = 40


def shoal_seconds(work):
    source = os.path.join(ROOT, "instructor", "01-data-splits.ipynb")
    subs = os.path.join(work, "shoal-submissions")
    os.makedirs(subs)
    for i in range(COUNT):
        shutil.copy(source, os.path.join(subs, f"student{i:02d}.ipynb"))
    t0 = time.perf_counter()
    subprocess.run([SHOAL, "grade", source, *sorted(os.path.join(subs, f) for f in os.listdir(subs)),
                    "-o", os.path.join(work, "shoal-grades")], check=True, capture_output=True)
    seconds = time.perf_counter() - t0
    with open(os.path.join(work, "shoal-grades", "grades.json")) as f:
        rows = json.load(f)
    assert len(rows) == COUNT and all(r["score"] == r["total"] for r in rows), rows[:2]
    return seconds / COUNT


def cell(source, grade_id, solution=False, grade=False, points=0):
    c = new_code_cell(source)
    c.metadata["nbgrader"] = {"grade_id": grade_id, "solution": solution, "grade": grade, "locked": not solution,
                              "schema_version": 3, "task": False}
    if grade:
        c.metadata["nbgrader"]["points"] = points
    return c


def nbgrader_assignment():
    return new_notebook(cells=[
        new_markdown_cell("# Data splits"),
        cell("import numpy as np\nrng = np.random.default_rng(7)\nlabels = np.repeat(np.arange(6), 40)\n"
             "images = rng.random((240, 8, 8, 3))\nids = np.arange(240)", "setup"),
        cell("def split(ids, labels, fraction, seed):\n    rng = np.random.default_rng(seed)\n    first, second = [], []\n"
             "    for c in np.unique(labels):\n        members = rng.permutation(ids[labels == c])\n"
             "        k = round(fraction * len(members))\n        first += list(members[:k]); second += list(members[k:])\n"
             "    return np.array(first), np.array(second)", "helpers"),
        cell("### BEGIN SOLUTION\nbig_train, hold_out = split(ids, labels, 0.7, 42)\n### END SOLUTION", "split", solution=True),
        cell("assert len(big_train) + len(hold_out) == len(ids)\n### BEGIN HIDDEN TESTS\n"
             "assert abs(len(big_train) / len(ids) - 0.7) < 0.05\n### END HIDDEN TESTS", "split-test", grade=True, points=2),
        cell("### BEGIN SOLUTION\nleaked = len(set(big_train) & set(hold_out))\n### END SOLUTION", "leaks", solution=True),
        cell("assert leaked == 0\n### BEGIN HIDDEN TESTS\nassert leaked == len(set(hold_out) & set(big_train))\n### END HIDDEN TESTS",
             "leaks-test", grade=True, points=1),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})


def nbgrader_seconds(work):
    course = os.path.join(work, "course")
    os.makedirs(os.path.join(course, "source", "ps1"))
    nbformat.write(nbgrader_assignment(), os.path.join(course, "source", "ps1", "ps1.ipynb"))
    with open(os.path.join(course, "nbgrader_config.py"), "w") as f:
        f.write("c = get_config()\nc.CourseDirectory.root = %r\nc.CourseDirectory.course_id = 'bench'\n"
                "c.CourseDirectory.db_students = [%s]\n" % (course, ", ".join(f"dict(id='student{i:02d}')" for i in range(COUNT))))
    bindir = os.path.dirname(sys.executable)
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""))
    run = lambda *a: subprocess.run([os.path.join(bindir, "nbgrader"), *a], cwd=course, check=True, capture_output=True,
                                    text=True, env=env)
    run("generate_assignment", "ps1", "--force")
    # Submissions: the source with solutions in place, as Shoal's are.
    for i in range(COUNT):
        d = os.path.join(course, "submitted", f"student{i:02d}", "ps1")
        os.makedirs(d)
        shutil.copy(os.path.join(course, "source", "ps1", "ps1.ipynb"), os.path.join(d, "ps1.ipynb"))
        with open(os.path.join(d, "timestamp.txt"), "w") as f:
            f.write("2026-11-25 12:00:00.000000 UTC")
    t0 = time.perf_counter()
    run("autograde", "ps1", "--force", "--create")
    return (time.perf_counter() - t0) / COUNT


def main():
    work = tempfile.mkdtemp(prefix="shoal-grading-bench-")
    try:
        s = shoal_seconds(work)
        n = nbgrader_seconds(work)
        print(f"bench grade-40-submissions-lesson1: shoal {1000 * s:.0f} ms/submission | nbgrader {1000 * n:.0f} ms/submission | ratio {n / s:.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
