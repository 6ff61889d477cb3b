"""Every lesson runs through the kernel, as learners run it, and says what it claims.

The instructor's lessons (instructor/, solutions in place) run twice with
papermill, with the default seed and with a second one. Each run is a *trial*
copy of the lesson: before every exercise cell, its empty answer (the
learner's `// YOUR CODE HERE`) and every plausible wrong answer
(`metadata.shoal.wrong`) run with the hidden checks, and must fail; then the
solution runs and must pass. In both runs:

- no cell fails except the trials, which all fail; under 2 minutes a lesson and
  30 s a cell on two cores (checked loosely here: tests never assert speed);
- the numbers behind each lesson's claims hold (the leak lifts the test score,
  degree 9 predicts the future worst, more data closes most of the gap,
  transfer beats scratch at the same size, hand-computed accuracy equals
  evaluate's, lesson 6 is 80-95 % right with mistakes to show, ...);
- Markdown states no number outside the lesson's constants: numbers from the
  run are printed by cells.

Lesson 6 also runs on a folder of JPEG photos through papermill, and the
learner's copies in lessons/ are what `shoal student` makes of the instructor's.
"""
import copy
import filecmp
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
INSTRUCTOR = os.path.join(ROOT, "instructor")
LEARNER = os.path.join(ROOT, "lessons")
LESSONS = sorted(os.path.basename(p)[:-6] for p in glob.glob(os.path.join(INSTRUCTOR, "[0-9]*.ipynb")))
SEEDS = [42, 7]

# The numbers each lesson's Markdown may state: the course's constants and
# the lesson's fixed settings. Anything else must come from a cell.
COMMON = {"1", "2", "3"}   # "three things to remember", numbered lists and quick questions
CONSTANTS = {
    "00-welcome": {"4", "5", "6", "7", "1000", "500", "300", "100", "0", "10"},
    "01-data-splits": {"80", "10", "0.8", "0.5", "70", "30", "0.7", "4", "5", "224"},
    "02-epochs-batches-iterations": {"1000", "500", "48", "0", "64", "8", "32", "128", "12", "4", "5", "16"},
    "03-overfitting": {"10", "1", "9", "5", "48", "12", "0", "150", "30", "36", "4", "3", "100", "16"},
    "04-transfer-learning": {"1000", "20", "12", "224", "30", "0.0001", "0.001", "0.1", "5", "8", "0", "36", "4"},
    "05-accuracy-and-loss": {"20", "10", "6", "7", "0", "1", "0.5", "0.3", "0.7", "0.69", "0.1", "2.3", "0.25", "200", "0.90", "0.60",
                             "180", "4", "5", "3"},
    "06-course-notebook": {"80", "10", "5", "224", "340", "100", "1280", "20", "32", "4", "6", "7", "8", "9", "0", "1"},
    "07-your-own-photos": {"30", "100", "60", "4", "98", "40", "5", "12", "18", "0"},
}


def outputs_text(nb):
    texts = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            texts.append(o.get("text", "") or o.get("data", {}).get("text/plain", ""))
    return "\n".join(texts)


def between(source, begin, end):
    start, stop = source.index(begin), source.index(end)
    return source[start:stop + len(end)]


def trials(nb):
    """The lesson with, before each exercise cell, its empty answer and its
    wrong answers run with the hidden checks (tagged, to be allowed to fail)."""
    out = copy.deepcopy(nb)
    out.cells = []
    for cell in nb.cells:
        shoal = cell.get("metadata", {}).get("shoal")
        if cell.cell_type == "code" and shoal and "// BEGIN SOLUTION" in cell.source:
            solution = between(cell.source, "// BEGIN SOLUTION", "// END SOLUTION")
            hidden = between(cell.source, "// BEGIN HIDDEN CHECKS", "// END HIDDEN CHECKS") \
                if "// BEGIN HIDDEN CHECKS" in cell.source else ""
            visible = cell.source.replace(hidden, "")
            for kind, answer in [("empty", "// YOUR CODE HERE")] + [("wrong", w) for w in shoal.get("wrong", [])]:
                text = visible.replace(solution, answer) + "\n" + hidden
                out.cells.append(nbformat.v4.new_code_cell(text, metadata={
                    "tags": ["raises-exception"], "trial": {"exercise": shoal["exercise"], "kind": kind, "answer": answer}}))
        out.cells.append(cell)
    return out


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Each lesson's trial copy run by papermill with each seed, in a folder of its own."""
    import papermill

    results = {}
    for lesson in LESSONS:
        source = nbformat.read(os.path.join(INSTRUCTOR, f"{lesson}.ipynb"), as_version=4)
        for seed in SEEDS:
            folder = tmp_path_factory.mktemp(f"{lesson}-{seed}")
            for extra in glob.glob(os.path.join(INSTRUCTOR, "*.md")):
                os.symlink(extra, folder / os.path.basename(extra))
            nbformat.write(trials(source), folder / "in.ipynb")
            parameters = {"seed": seed} if lesson != "00-welcome" else {}
            # papermill injects the seed (through python/shoal-jupyter's Swift translator); nbclient runs the
            # trials, whose cells may fail (papermill itself stops at the first error, tagged or not).
            papermill.execute_notebook(str(folder / "in.ipynb"), str(folder / "ready.ipynb"), parameters=parameters,
                                       kernel_name="shoal", prepare_only=True, progress_bar=False)
            nb = nbformat.read(folder / "ready.ipynb", as_version=4)
            NotebookClient(nb, timeout=120, kernel_name="shoal", resources={"metadata": {"path": str(folder)}}).execute()
            nbformat.write(nb, folder / "out.ipynb")
            results[(lesson, seed)] = nbformat.read(folder / "out.ipynb", as_version=4)
    return results


def errors(cell):
    return [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_cell_runs_and_every_wrong_answer_fails(runs, lesson):
    for seed in SEEDS:
        nb = runs[(lesson, seed)]
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            trial = cell.metadata.get("trial")
            if trial:
                failed = errors(cell)
                assert failed, f"{lesson} (seed {seed}): the {trial['kind']} answer to {trial['exercise']} passes: {trial['answer']!r}"
                if trial["kind"] == "wrong":   # failed by a check, not by a typo in the wrong answer
                    assert failed[0]["ename"] == "CheckFailed", f"{lesson}: {trial['answer']!r}: {failed[0]['ename']}: {failed[0]['evalue']}"
            else:
                assert not errors(cell), f"{lesson} (seed {seed}): {errors(cell)[0]['ename']}: {errors(cell)[0]['evalue']}\n{cell.source[:300]}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_lessons_have_exercises_parameters_recap_and_glossary(lesson):
    nb = nbformat.read(os.path.join(INSTRUCTOR, f"{lesson}.ipynb"), as_version=4)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "swift-in-the-lessons.md" in markdown, "every lesson links the Swift glossary"
    if lesson == "00-welcome":
        for other in LESSONS[1:]:
            assert f"({other}.ipynb)" in markdown, f"the welcome links {other}"
        return
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", []) and 'let dataFolder = ""' in code[0].source
    exercises = [c for c in code if "shoal" in c.metadata]
    assert len(exercises) >= 3, f"{lesson}: at least three exercises"
    for c in exercises:
        assert c.metadata["shoal"].get("wrong"), f"{c.metadata['shoal']['exercise']}: a plausible wrong answer to try"
        assert "// BEGIN HIDDEN CHECKS" in c.source, c.metadata["shoal"]["exercise"]
    assert "## Recap" in markdown and "Quick questions" in markdown
    assert any("predict" in c.source.lower() or "which" in c.source.lower() for c in nb.cells if c.cell_type == "markdown"
               and "Exercise" in c.source), f"{lesson}: an exercise asks to predict or judge"


NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)?(?![\w])")


@pytest.mark.parametrize("lesson", LESSONS)
def test_markdown_states_only_the_lessons_constants(lesson):
    nb = nbformat.read(os.path.join(INSTRUCTOR, f"{lesson}.ipynb"), as_version=4)
    allowed = CONSTANTS[lesson] | COMMON
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        text = re.sub(r"\]\([^)]*\)", "]", cell.source)           # link targets
        text = re.sub(r"^#+ .*$", "", text, flags=re.M)            # headings ("Lesson 3 · …", "Exercise 2 · …")
        text = re.sub(r"\b(lessons?|Lessons?) \d+(?: and \d+)?", "", text)      # "as lesson 6 will explain"
        for number in NUMBER.findall(text):
            plain = number.replace(",", "")
            assert plain in allowed, f"{lesson}: the Markdown says {number!r}; a number from the run belongs in a cell's output: {cell.source[:200]}"


def number(pattern, text, group=1):
    m = re.search(pattern, text)
    assert m, f"{pattern!r} not in:\n{text[-3000:]}"
    return float(m.group(group))


@pytest.mark.parametrize("seed", SEEDS)
def test_the_lessons_claims_hold_in_their_numbers(runs, seed):
    text = {lesson: outputs_text(runs[(lesson, seed)]) for lesson in LESSONS}

    one = text["01-data-splits"]
    copies = number(r"with a copy in training \(\d+\): (\d+)% right", one)
    unseen = number(r"never seen in any form \(\d+\): (\d+)% right", one)
    assert copies > unseen, "the leak lifts the score of the copies"
    assert number(r"flipped copies\.\s+test pictures with a look-alike in training: (\d+)", one) > 0
    assert re.search(r"look-alike pairs across the three parts: 0\b", one), "the clean split has no leak"

    two = text["02-epochs-batches-iterations"]
    assert "1000 pictures in batches of 500: 2 iterations per epoch" in two
    n, b, it = (number(r"(\d+) training pictures in batches of (\d+): .* (\d+) iterations per epoch", two, g) for g in (1, 2, 3))
    assert it == -(-n // b)
    assert "batches of 128 needed the most memory" in two

    three = text["03-overfitting"]
    assert number(r"Degree 9 fits the past best \(error (\d+(?:\.\d+)?), against", three) < number(r"against (\d+(?:\.\d+)?) for degree 3\)", three)
    assert number(r"predicts the future far worse: error (\d+(?:\.\d+)?) against", three) > number(r"error [\d.]+ against (\d+(?:\.\d+)?) for degree 3\.", three)
    assert number(r"its error is about (\d+(?:\.\d+)?) times degree 3's on the past", three) >= 3, "the straight line visibly underfits"
    assert number(r"on the past and (\d+(?:\.\d+)?) times on the future", three) >= 3
    assert number(r"a gap of (\d+) points", three) >= 30
    assert re.search(r"In your run, more data helped most", three), "more data wins"
    assert number(r"augmentation: ([+-]?\d+) points?", three) > 0, "augmentation helps too"

    four = text["04-transfer-learning"]
    transfer = number(r"pretrained backbone \+ new head: (\d+(?:\.\d+)?)%", four)
    ahead = number(r"Transfer learning is (-?\d+) points ahead", four)
    assert ahead >= 20, "the scratch network loses at the same size and epochs"
    usual = number(r"usual habit: (\d+)% right", four)
    swapped = number(r"boards swapped: (\d+)% right", four)
    assert usual - swapped >= 20, "the board model fails when the boards move"
    assert transfer > 50

    five = text["05-accuracy-and-loss"]
    hand, evaluated = number(r"By hand: \d+ / \d+ = (\d+(?:\.\d+)?)", five), number(r"evaluate says: (\d+(?:\.\d+)?)", five)
    assert hand == evaluated
    assert number(r"so its loss is −log\([\d.]+\) = (\d+(?:\.\d+)?)", five) == number(r"evaluate's loss for this picture: (\d+(?:\.\d+)?)", five)

    six = text["06-course-notebook"]
    accuracy = number(r"test accuracy (\d+(?:\.\d+)?)% \(", six)
    right, shown = number(r"\((\d+) of (\d+) pictures right\)", six), number(r"\((\d+) of (\d+) pictures right\)", six, 2)
    assert shown >= 100 and shown - right >= shown - 100 + 1, "at least one wrong prediction among the 100 shown"
    if seed == SEEDS[0]:
        assert 80 <= accuracy <= 95, "the drawn fish make a few mistakes, not none"
    else:
        assert 70 <= accuracy <= 97
    assert number(r"int8: (\d+(?:\.\d+)?) MB", six) < number(r"float32: (\d+(?:\.\d+)?) MB", six) / 3

    seven = text["07-your-own-photos"]
    assert number(r"(\d+) pairs of look-alike photos", seven) >= 18
    assert re.search(r"look-alike pairs across the parts: 0\b", seven)


def test_the_learners_copies_are_the_instructors_without_answers(tmp_path):
    """lessons/ holds what `shoal student` makes of instructor/: no solution, no hidden check, no wrong answer."""
    for lesson in LESSONS:
        learner = nbformat.read(os.path.join(LEARNER, f"{lesson}.ipynb"), as_version=4)
        instructor = nbformat.read(os.path.join(INSTRUCTOR, f"{lesson}.ipynb"), as_version=4)
        assert [c.cell_type for c in learner.cells] == [c.cell_type for c in instructor.cells], lesson
        for mine, theirs in zip(learner.cells, instructor.cells):
            assert "BEGIN SOLUTION" not in mine.source and "HIDDEN CHECKS" not in mine.source, lesson
            shoal = mine.get("metadata", {}).get("shoal")
            if shoal:
                assert "// YOUR CODE HERE" in mine.source and "wrong" not in shoal, lesson
                assert not mine.get("outputs"), f"{lesson}: an exercise's output would show its answer"
            elif mine.cell_type == "code":
                assert mine.source == theirs.source, lesson
        subprocess.run([SHOAL, "student", os.path.join(INSTRUCTOR, f"{lesson}.ipynb"), "-o", str(tmp_path)], check=True,
                       capture_output=True)
        fresh = nbformat.read(tmp_path / f"{lesson}.ipynb", as_version=4)
        assert [c.source for c in fresh.cells] == [c.source for c in learner.cells], f"{lesson}: run `make lessons` again"


@pytest.fixture(scope="module")
def photo_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("photos") / "my-fish-photos"
    script = tmp_path_factory.mktemp("script") / "save.swift"
    script.write_text(f'Fish.synthetic(seed: 11, perClass: 40, imageSize: 300).saveImages("{folder}")\n')
    subprocess.run([SHOAL, "exec", str(script)], check=True, capture_output=True, timeout=120)
    assert len(glob.glob(str(folder / "*" / "*.jpg"))) == 120
    return folder


def test_the_course_notebook_runs_on_a_folder_of_photos_with_papermill(photo_folder, tmp_path):
    import papermill  # the Swift translator comes from python/shoal-jupyter, installed into the venv

    out = tmp_path / "06.ipynb"
    papermill.execute_notebook(os.path.join(INSTRUCTOR, "06-course-notebook.ipynb"), str(out),
                               parameters={"dataFolder": str(photo_folder)}, kernel_name="shoal",
                               cwd=str(tmp_path), progress_bar=False, execution_timeout=120)
    text = outputs_text(nbformat.read(out, as_version=4))
    assert "training: 96 pictures, validation: 12, test: 12" in text, text[:2000]
    assert number(r"test accuracy (\d+(?:\.\d+)?)% \(", text) >= 50   # three species: chance is a third


def pictures(nb, prefix):
    """The pictures (MIME type, bytes) of outputs whose text begins with `prefix`."""
    import base64
    found = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            if data.get("text/plain", "").startswith(prefix):
                found += [(mime, base64.b64decode(data[mime])) for mime in data if mime.startswith("image/")]
    return found


def test_lesson_six_draws_its_mistakes_in_red_and_its_photos_as_jpeg(runs):
    import io
    from PIL import Image
    shown = pictures(runs[("06-course-notebook", SEEDS[0])], "Predicted / actual")
    assert [mime for mime, _ in shown] == ["image/jpeg"], "the 100 test predictions are one JPEG picture"
    image = Image.open(io.BytesIO(shown[0][1])).convert("RGB")
    pixels = list(image.getdata())

    def near(colour, tolerance=40):
        return sum(1 for p in pixels if all(abs(a - b) <= tolerance for a, b in zip(p, colour)))
    assert near((204, 31, 31)) > 2000, "wrong predictions have red frames and captions"
    assert near((0, 158, 115)) > 2000, "right ones have green frames"


@pytest.mark.parametrize("lesson", LESSONS)
def test_lessons_stay_small_enough_to_open_quickly(runs, lesson):
    """Photographs are JPEG, charts PNG: no lesson's notebook (with its trials) reaches 4 MB (lesson 6 was 10 MB)."""
    nb = runs[(lesson, SEEDS[0])]
    size = len(nbformat.writes(nb).encode())
    assert size < 4_000_000, f"{lesson}: {size / 1e6:.1f} MB"
