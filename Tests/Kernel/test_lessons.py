"""Every lesson runs through the kernel, as learners run it, and says what it claims.

- each notebook in lessons/ runs with nbclient, solutions in place: no error
  and no failed check, under 3 minutes per notebook and 60 s per cell;
- the numbers behind the lessons' claims hold with the default seeds;
- lessons 4 and 6 run with papermill on a folder of JPEG photos (the drawn
  fish saved as files), as a learner's own folder would be used.
"""
import datetime
import glob
import os
import re
import subprocess

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import SHOAL

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LESSONS = sorted(glob.glob(os.path.join(ROOT, "lessons", "*.ipynb")))


def seconds(cell):
    timing = cell.metadata.get("execution", {})
    start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if not start or not end:
        return 0.0
    parse = lambda s: datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
    return (parse(end) - parse(start)).total_seconds()


def outputs_text(nb):
    texts = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            texts.append(o.get("text", "") or o.get("data", {}).get("text/plain", ""))
    return "\n".join(texts)


@pytest.fixture(scope="module")
def executed():
    """Each lesson executed once (in its own folder, as JupyterLab would)."""
    results = {}
    for path in LESSONS:
        nb = nbformat.read(path, as_version=4)
        started = datetime.datetime.now()
        NotebookClient(nb, timeout=60, kernel_name="shoal", record_timing=True,
                       resources={"metadata": {"path": os.path.dirname(path)}}).execute()
        results[os.path.basename(path)] = (nb, (datetime.datetime.now() - started).total_seconds())
    return results


def test_every_lesson_runs_without_errors_in_time(executed):
    assert len(executed) >= 5
    for name, (nb, total) in executed.items():
        errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
        assert not errors, f"{name}: {errors[0]['ename']}: {errors[0]['evalue']}" if errors else ""
        assert total < 180, f"{name} took {total:.0f} s"
        slow = [(i, seconds(c)) for i, c in enumerate(nb.cells) if c.cell_type == "code" and seconds(c) >= 60]
        assert not slow, f"{name}: cells over 60 s: {slow}"


def test_every_lesson_has_parameters_and_exercises(executed):
    for name, (nb, _) in executed.items():
        if name.startswith("00-"):
            continue
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert "parameters" in code[0].metadata.get("tags", []), name
        assert 'let dataFolder = ""' in code[0].source, name
        exercises = [c for c in code if "shoal" in c.metadata]
        assert len(exercises) >= 2, name
        for c in exercises:
            assert "// BEGIN SOLUTION" in c.source and "// END SOLUTION" in c.source, name
            assert "// BEGIN HIDDEN CHECKS" in c.source and "check(" in c.source.split("// BEGIN SOLUTION")[0] + c.source.split("// END SOLUTION")[1], name


def test_the_lessons_claims_hold_in_their_numbers(executed):
    iterations = outputs_text(executed["02-epochs-batches-iterations.ipynb"][0])
    assert "iterations per epoch: 30" in iterations   # 960 training points in batches of 32
    overfitting = outputs_text(executed["03-overfitting.ipynb"][0])
    gaps = [float(g) for g in re.findall(r"a gap of ([\d.]+) points", overfitting)]
    assert len(gaps) == 2 and gaps[0] >= 30, gaps            # training beats validation by 30+ points
    assert gaps[1] <= gaps[0] / 2, gaps                         # the remedies close at least half of it
    errors = re.search(r"\n3 +4 +[\d.e-]+ +([\d.e-]+)\n9 +10 +[\d.e-]+ +([\d.e-]+)", overfitting)
    assert errors and float(errors.group(2)) > 2 * float(errors.group(1)), overfitting[:1500]
    transfer = outputs_text(executed["04-transfer-learning.ipynb"][0])
    table = re.search(r"pretrained backbone \+ new head\s+([\d.]+)%\s*\nsmall network from scratch\s+([\d.]+)%", transfer)
    assert table, transfer[-2000:]
    assert float(table.group(1)) - float(table.group(2)) >= 20
    course = outputs_text(executed["06-course-notebook.ipynb"][0])
    accuracy = re.search(r"Results on \d+ samples: accuracy ([\d.]+)%", course)
    assert accuracy and 80 <= float(accuracy.group(1)) <= 95, "the drawn fish make a few mistakes, not none"


@pytest.fixture(scope="module")
def photo_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("photos") / "my-fish-photos"
    script = tmp_path_factory.mktemp("script") / "save.swift"
    script.write_text(f'Fish.synthetic(seed: 11, perClass: 40, imageSize: 300).saveImages("{folder}")\n')
    subprocess.run([SHOAL, "exec", str(script)], check=True, capture_output=True, timeout=120)
    assert len(glob.glob(str(folder / "*" / "*.jpg"))) == 120
    return folder


@pytest.mark.parametrize("lesson", ["04-transfer-learning", "06-course-notebook"])
def test_lessons_run_on_a_folder_of_photos_with_papermill(lesson, photo_folder, tmp_path):
    import papermill  # the Swift translator comes from python/shoal-jupyter, installed into the venv

    out = tmp_path / f"{lesson}.ipynb"
    papermill.execute_notebook(os.path.join(ROOT, "lessons", f"{lesson}.ipynb"), str(out),
                               parameters={"dataFolder": str(photo_folder)}, kernel_name="shoal",
                               cwd=str(tmp_path), progress_bar=False, execution_timeout=60)
    nb = nbformat.read(out, as_version=4)
    text = outputs_text(nb)
    assert "Results on" in text
    accuracy = [float(a) for a in re.findall(r"Results on \d+ samples: accuracy ([\d.]+)%", text)]
    assert accuracy and max(accuracy) >= 50, text[-1500:]   # three species: chance is a third
