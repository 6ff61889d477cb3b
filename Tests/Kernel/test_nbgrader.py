"""Shoal lessons in nbgrader: nbgrader's own generate_assignment and autograde,
run with the Shoal kernel, give the same points as `shoal author grade`.

Two lessons are exported with `shoal author export-nbgrader` into an nbgrader
course; nbgrader releases them; three students submit: one correct, one
partly wrong (the first answer right, the others left as handed out) and one
broken (a syntax error in the first answer, a run-time error before the
second). nbgrader autogrades the submissions in Shoal kernels, and `shoal
author grade` grades the same submitted files against the lesson; every
exercise scores the same in both.
"""
import html
import json
import os
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from conftest import SHOAL

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LESSONS = {"lesson3": "03-overfitting", "lesson2": "02-epochs-batches-iterations", "small": "small"}

# A lesson of the test's own, where the partly wrong student gives a wrong
# answer (not an empty one): its hidden check fails with CheckFailed. The
# hidden check uses a name the lesson's own cell declares (`expected`).
SMALL = [
    ("markdown", "# Sums", None),
    ("code", "let numbers = [1, 2, 3]\nlet expected = 6", None),
    ("code", "// BEGIN SOLUTION\nlet total = numbers.reduce(0, +)\n// END SOLUTION\ncheck(total > 0, \"total should be positive\")\n"
             "// BEGIN HIDDEN CHECKS\ncheck(total == expected, \"the total of 1, 2 and 3 is 6\")\n// END HIDDEN CHECKS", "small-sum"),
    ("code", "func square(_ x: Int) -> Int {\n    // BEGIN SOLUTION\n    return x * x\n    // END SOLUTION\n}\n"
             "check(square(3) == 9, \"square(3) should be 9\")", "small-square"),
]
WRONG = {("small", 0): "let total = 5"}


def lesson_path(tmp, lesson):
    if lesson != "small":
        return os.path.join(ROOT, "instructor", f"{lesson}.ipynb")
    cells = [nbformat.v4.new_markdown_cell(src) if kind == "markdown" else
             nbformat.v4.new_code_cell(src, metadata={"shoal": {"exercise": ex, "points": 2}} if ex else {})
             for kind, src, ex in SMALL]
    nb = nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "shoal", "display_name": "Swift (Shoal)",
                                                                          "language": "swift"}})
    path = os.path.join(tmp, "small.ipynb")
    nbformat.write(nb, path)
    return path
STUDENTS = ["correct", "partly", "broken"]
# Students of the small lesson who try to fool the checks: one declares its
# own `check` with wrong answers, one stops its first answer with `exit(0)`
# (the answer right after it) and answers the second right, one declares the
# lesson's `expected` again so that its wrong total would pass the hidden check.
ATTACKERS = {"small": ["cheater", "exiter", "shadower"]}
CHEATS = {("cheater", 0): "func check(_ c: Bool, _ m: String) {}\nlet total = 5", ("cheater", 1): "return 0",
          ("exiter", 0): "exit(0)\nlet total = numbers.reduce(0, +)",
          ("shadower", 0): "let total = 5\nlet expected = 5"}

# Students who spin: one in its first answer (the second answered right), one
# in a cell of its own after right answers. nbgrader's ExecutePreprocessor
# interrupts a cell that passes its timeout and goes on with the next one.
SPINNERS = ["spinner", "late_spinner"]
CHEATS[("spinner", 0)] = "var spins = 0\nwhile true { spins += 1 }\nlet total = numbers.reduce(0, +)"
LATE_CELLS = {"late_spinner": ["var laps = 0\nwhile true { laps += 1 }", "print(\"after the spin\")"]}


def students(assignment):
    return STUDENTS + ATTACKERS.get(assignment, [])


BIN = os.path.dirname(sys.executable)


def nbgrader(course, *args):
    # The kernels' connection files go to the course's own runtime folder, so
    # that the processes started for this course can be told from others.
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""), JUPYTER_RUNTIME_DIR=str(course / "runtime"))
    done = subprocess.run([os.path.join(BIN, "nbgrader"), *args], cwd=course, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


def processes_of(course):
    """The processes whose command line names the course's runtime folder (its kernels)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read().decode(errors="replace").replace("\0", " ")
        except OSError:
            continue
        if str(course / "runtime") in cmdline:
            found.append((int(pid), cmdline))
    return found


def solution_lines(source):
    """The answer as a student would type it: the lines between the markers."""
    lines, inside = [], False
    for line in source.split("\n"):
        marker = line.strip()
        if marker == "// BEGIN SOLUTION":
            inside = True
        elif marker == "// END SOLUTION":
            inside = False
        elif inside:
            lines.append(line)
    return lines


def answer(released, source, student, index, assignment):
    """A student's text for the answer cell `index` (counted among answer cells)."""
    right = released.replace("// YOUR CODE HERE", "\n".join(solution_lines(source)).strip("\n"), 1)
    if (student, index) in CHEATS:
        return released.replace("// YOUR CODE HERE", CHEATS[(student, index)], 1)
    if student in ATTACKERS["small"] + SPINNERS:
        return right
    if student == "partly" and (assignment, index) in WRONG:
        return released.replace("// YOUR CODE HERE", WRONG[(assignment, index)], 1)
    if student == "correct" or (student == "partly" and (index == 0 or assignment == "small")):
        return right
    if student == "partly":
        return released
    return right + "\nlet oops = (" if index == 0 else "let crash = [1, 2][5]\n" + right


def autograde(course, lessons, roster, timeout, extra_cells=None, shoal_grade=True):
    """An nbgrader course with `lessons` exported by Shoal, released, submitted
    by every student of `roster(assignment)` (`answer` writes their answers;
    `extra_cells[student]` is appended to their notebook) and autograded with
    Shoal kernels; then `shoal author grade` grades the same files."""
    with open(course / "nbgrader_config.py", "w") as f:
        f.write("c = get_config()\n"
                f"c.CourseDirectory.root = {str(course)!r}\n"
                "c.CourseDirectory.course_id = 'fish'\n"
                f"c.CourseDirectory.db_students = [{', '.join(f'dict(id={s!r})' for s in roster('small'))}]\n"
                'c.ClearSolutions.code_stub = {"swift": "// YOUR CODE HERE"}\n'
                f"c.ExecutePreprocessor.timeout = {timeout}\n")
    shoal_grades = {}
    for assignment, lesson in lessons.items():
        source_dir = course / "source" / assignment
        lesson_file = lesson_path(course, lesson)
        done = subprocess.run([SHOAL, "author", "export-nbgrader", lesson_file,
                               "-o", str(source_dir)], capture_output=True, text=True, check=True)
        assert "nbgrader_config.py needs" in done.stdout
        nbgrader(course, "generate_assignment", assignment, "--force")
        exported = nbformat.read(source_dir / f"{lesson}.ipynb", as_version=4)
        released = nbformat.read(course / "release" / assignment / f"{lesson}.ipynb", as_version=4)
        answers = [i for i, c in enumerate(exported.cells) if c.metadata.get("nbgrader", {}).get("solution")]
        assert len(answers) >= 2 and len(released.cells) == len(exported.cells)
        submitted = []
        for student in roster(assignment):
            nb = nbformat.read(course / "release" / assignment / f"{lesson}.ipynb", as_version=4)
            for k, i in enumerate(answers):
                assert "// YOUR CODE HERE" in nb.cells[i].source, "nbgrader put its code stub in the answer"
                nb.cells[i].source = answer(nb.cells[i].source, exported.cells[i].source, student, k, assignment)
            nb.cells += [nbformat.v4.new_code_cell(src) for src in (extra_cells or {}).get(student, [])]
            folder = course / "submitted" / student / assignment
            folder.mkdir(parents=True)
            nbformat.write(nb, folder / f"{lesson}.ipynb")
            (folder / "timestamp.txt").write_text("2026-12-01 12:00:00.000000 UTC")
            submitted.append(str(folder / f"{lesson}.ipynb"))
        nbgrader(course, "autograde", assignment, "--force", "--create")
        if not shoal_grade:
            continue
        # Shoal grades the very files nbgrader graded (their answer cells keep metadata.shoal).
        out = course / "shoal-grades" / assignment
        renamed = []
        for student, path in zip(roster(assignment), submitted):
            renamed.append(str(course / "shoal-submissions" / assignment / f"{student}.ipynb"))
            os.makedirs(os.path.dirname(renamed[-1]), exist_ok=True)
            shutil.copy(path, renamed[-1])
        subprocess.run([SHOAL, "author", "grade", lesson_file, *renamed, "-o", str(out)],
                       capture_output=True, text=True, check=True, timeout=600)
        with open(out / "grades.json") as f:
            shoal_grades[assignment] = {row["submission"]: row for row in json.load(f)}
    return shoal_grades


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    return course, autograde(course, LESSONS, students, timeout=120)


def nbgrader_points(course, assignment, lesson, student):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course}/gradebook.db") as gb:
        notebook = gb.find_submission_notebook(lesson, assignment, student)
        return {g.name[: -len("-checks")]: g.score for g in notebook.grades if g.name.endswith("-checks")}


def test_nbgrader_gives_the_points_shoal_gives(graded):
    course, shoal = graded
    for assignment, lesson in LESSONS.items():
        totals = {}
        for student in students(assignment):
            theirs = nbgrader_points(course, assignment, lesson, student)
            ours = {e["id"]: e["earned"] for e in shoal[assignment][student]["exercises"]}
            assert theirs == ours, f"{assignment}, {student}: nbgrader {theirs}, shoal {ours}"
            totals[student] = sum(ours.values())
        full = shoal[assignment]["correct"]["total"]
        assert totals["correct"] == full, totals
        assert 0 < totals["partly"] < full, totals
        assert totals["broken"] < full, totals


def test_a_students_own_check_or_exit_scores_nothing_in_nbgrader(graded):
    """nbgrader runs the test cells as ordinary cells: the kernel must still
    call Shoal's own `check` there, whatever the student declared."""
    course, shoal = graded
    assert nbgrader_points(course, "small", "small", "cheater") == {"small-sum": 0, "small-square": 0}
    assert nbgrader_points(course, "small", "small", "exiter") == {"small-sum": 0, "small-square": 2}
    nb = nbformat.read(course / "autograded" / "cheater" / "small" / "small.ipynb", as_version=4)
    tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    failed = [o for c in tests for o in c.outputs if o.output_type == "error"]
    assert [o.evalue for o in failed] == ["the total of 1, 2 and 3 is 6", "square(3) should be 9"], failed
    answers = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
    notes = [o.text for o in answers[0].outputs if o.output_type == "stream" and o.name == "stderr"]
    assert notes == ["note: 'check' is the name of a Shoal builtin: this notebook's cells now use yours, "
                     "but a grader's checks always use Shoal's own.\n"], answers[0].outputs
    cheater = shoal["small"]["cheater"]
    assert cheater["score"] == 0 and any("declares 'check'" in n for n in cheater["notes"]), cheater
    exiter = [e for e in shoal["small"]["exiter"]["exercises"] if e["id"] == "small-sum"][0]
    assert "cannot find 'exit' in scope" in exiter["message"], exiter


def test_a_failed_check_is_an_error_output_in_nbgrader(graded):
    course, shoal = graded
    nb = nbformat.read(course / "autograded" / "partly" / "small" / "small.ipynb", as_version=4)
    tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    failed = [o for c in tests for o in c.outputs if o.output_type == "error"]
    assert len(failed) == 1 and failed[0].ename == "CheckFailed", [c.outputs for c in tests]
    assert failed[0].evalue == "the total of 1, 2 and 3 is 6"
    assert nbgrader_points(course, "small", "small", "partly") == {"small-sum": 0, "small-square": 2}
    assert shoal["small"]["partly"]["exercises"][0]["message"] == "the total of 1, 2 and 3 is 6"
    hidden = "\n".join(c.source for c in tests)
    assert "BEGIN HIDDEN TESTS" in hidden, "autograde runs the hidden checks again"


def test_feedback_shows_checks_and_the_cells_own_error(graded):
    course, shoal = graded
    page = (course / "shoal-grades" / "lesson3" / "feedback" / "broken.html").read_text()
    assert "Your code stopped with an error" in page and "error:" in page
    assert "✓" in page or "✗" in page
    partly = (course / "shoal-grades" / "lesson3" / "feedback" / "partly.html").read_text()
    assert "✗" in partly and "✓" in partly
    source = nbformat.read(os.path.join(ROOT, "instructor", f"{LESSONS['lesson3']}.ipynb"), as_version=4)
    hidden_code = [line.strip() for c in source.cells for line in c.source.split("BEGIN HIDDEN CHECKS")[1:]
                   for line in line.split("END HIDDEN CHECKS")[0].split("\n") if line.strip().startswith("check(")]
    assert hidden_code
    for line in hidden_code:
        assert line not in page and line not in partly, "a hidden check's code shows in the feedback"
    summary = (course / "shoal-grades" / "lesson3" / "summary.html").read_text()
    assert "summary.png" in summary and "Hardest exercise" in summary
    png = (course / "shoal-grades" / "lesson3" / "summary.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    csv = (course / "shoal-grades" / "lesson3" / "grades.csv").read_text().splitlines()
    assert csv[0].startswith("submission,score,total,") and len(csv) == 1 + len(STUDENTS)


def test_malformed_nbgrader_metadata_is_refused_with_the_cell_named(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# A lesson"),
        nbformat.v4.new_code_cell("let x = 1", metadata={"nbgrader": {"grade": True, "solution": False, "locked": True,
                                                                        "schema_version": 3, "grade_id": "x-checks"}}),
    ])
    path = tmp_path / "bad.ipynb"
    nbformat.write(nb, path)
    done = subprocess.run([SHOAL, "author", "import-nbgrader", str(path), "-o", str(tmp_path / "out")],
                          capture_output=True, text=True)
    assert done.returncode != 0
    assert "cell 2: metadata.nbgrader grade cell 'x-checks' has no points (a number)" in done.stderr, done.stderr


def test_export_then_import_gives_the_lesson_back(tmp_path):
    for lesson in sorted(os.listdir(os.path.join(ROOT, "instructor"))):
        if not re.match(r"0[1-9].*\.ipynb$", lesson):
            continue
        subprocess.run([SHOAL, "author", "export-nbgrader", os.path.join(ROOT, "instructor", lesson), "-o", str(tmp_path / "x")],
                       check=True, capture_output=True)
        subprocess.run([SHOAL, "author", "import-nbgrader", str(tmp_path / "x" / lesson), "-o", str(tmp_path / "back")],
                       check=True, capture_output=True)
        before = nbformat.read(os.path.join(ROOT, "instructor", lesson), as_version=4)
        after = nbformat.read(tmp_path / "back" / lesson, as_version=4)
        for cell in before.cells:   # the wrong answers `shoal validate` tries are not exported (nbgrader would release them)
            cell.metadata.get("shoal", {}).pop("wrong", None)
        assert before == after, lesson


def autograded_cells(course, student, kind):
    nb = nbformat.read(course / "autograded" / student / "small" / "small.ipynb", as_version=4)
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get(kind)], nb


def test_a_redeclared_lesson_name_scores_nothing_in_nbgrader(graded):
    """The shadower declares the lesson's `expected` again (5, its wrong
    total): the hidden check would hold, but the test cell fails and says why."""
    course, shoal = graded
    assert nbgrader_points(course, "small", "small", "shadower") == {"small-sum": 0, "small-square": 2}
    assert nbgrader_points(course, "small", "small", "correct") == {"small-sum": 2, "small-square": 2}
    tests, nb = autograded_cells(course, "shadower", "grade")
    answers, _ = autograded_cells(course, "shadower", "solution")
    failed = [o for o in tests[0].outputs if o.output_type == "error"]
    assert len(failed) == 1 and failed[0].ename == "CheckFailed", tests[0].outputs
    assert failed[0].evalue == (f"these checks use 'expected', which the cell run as In [{answers[0].execution_count}] "
                                "declares again: the checks need the lesson's own 'expected', so leave it as the lesson sets it")
    assert not [o for o in tests[1].outputs if o.output_type == "error"]
    # nbgrader's own feedback page shows it to the student.
    nbgrader(course, "generate_feedback", "small", "--student", "shadower", "--force")
    page = html.unescape((course / "feedback" / "shadower" / "small" / "small.html").read_text())
    assert "these checks use 'expected', which the cell run as In [" in page
    ours = shoal["small"]["shadower"]
    sum_row = [e for e in ours["exercises"] if e["id"] == "small-sum"][0]
    assert sum_row["earned"] == 0 and "which cell 3 declares again" in sum_row["message"], sum_row


@pytest.fixture(scope="module")
def spun(tmp_path_factory):
    """The small lesson autograded with a 5-second cell timeout."""
    course = tmp_path_factory.mktemp("spin")
    autograde(course, {"small": "small"}, lambda _: ["correct"] + SPINNERS, timeout=5, extra_cells=LATE_CELLS,
              shoal_grade=False)
    return course


def test_spinning_submissions_keep_their_rows_and_the_points_they_earned(spun):
    course = spun
    assert nbgrader_points(course, "small", "small", "correct") == {"small-sum": 2, "small-square": 2}
    assert nbgrader_points(course, "small", "small", "spinner") == {"small-sum": 0, "small-square": 2}
    assert nbgrader_points(course, "small", "small", "late_spinner") == {"small-sum": 2, "small-square": 2}
    # nbgrader interrupts the spinning cell and waits (iopub_timeout) for the
    # kernel to go idle: Shoal's own "interrupted" comes first, then nbgrader's note.
    answers, _ = autograded_cells(course, "spinner", "solution")
    errors = [(o.ename, o.evalue) for o in answers[0].outputs if o.output_type == "error"]
    assert errors == [("Interrupted", "the cell was interrupted"), ("CellTimeoutError", "")], answers[0].outputs
    tests, _ = autograded_cells(course, "spinner", "grade")
    # The answer cell never reached its `let answered_small_sum = true`: the
    # test cell's first check cannot find it, and shows the check's message.
    failed = [o for o in tests[0].outputs if o.output_type == "error"]
    assert [o.evalue for o in failed] == ["cannot find 'answered_small_sum' in scope"], tests[0].outputs
    assert 'check(answered_small_sum, "the answer cell above stopped with an error")' in failed[0].traceback
    assert not [o for o in tests[1].outputs if o.output_type == "error"], tests[1].outputs
    late = nbformat.read(course / "autograded" / "late_spinner" / "small" / "small.ipynb", as_version=4)
    spin, after = late.cells[-2], late.cells[-1]
    assert [o.ename for o in spin.outputs if o.output_type == "error"] == ["Interrupted", "CellTimeoutError"], spin.outputs
    assert [o.text for o in after.outputs if o.output_type == "stream"] == ["after the spin\n"], after.outputs


def test_autograde_leaves_no_kernel_behind(spun):
    assert processes_of(spun) == []
    # The look-up sees a kernel started the way nbgrader starts them while it runs.
    from jupyter_client.manager import KernelManager

    (spun / "runtime").mkdir(exist_ok=True)
    km = KernelManager(kernel_name="shoal", connection_file=str(spun / "runtime" / "kernel-probe.json"))
    km.start_kernel()
    try:
        assert [cmd for _, cmd in processes_of(spun) if " kernel " in cmd], processes_of(spun)
    finally:
        km.shutdown_kernel(now=True)
    assert processes_of(spun) == []
