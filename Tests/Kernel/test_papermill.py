"""papermill from the command line, with the Swift translator that
python/shoal-jupyter installs (`make test` and `make lab` install it).

- `papermill in.ipynb out.ipynb -k shoal -p NAME VALUE` injects Swift `let`
  lines after the cell tagged `parameters`, and the cells see the values;
- `-y` YAML gives lists, dictionaries and nil;
- `papermill --help-notebook` lists the parameters with their types and help;
- a value Swift cannot hold is refused with a message naming the parameter.
"""
import os
import subprocess
import sys

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

import conftest  # noqa: F401  (installs the kernelspec)

PAPERMILL = os.path.join(os.path.dirname(sys.executable), "papermill")


def write_notebook(path):
    nb = new_notebook(cells=[
        new_markdown_cell("# Parameters"),
        new_code_cell('// The folder of photos, one sub-folder per species.\nlet dataFolder = ""\n'
                      "let epochs = 5 // epochs to train\nlet rate = 0.1\nlet augment = false\n"
                      "let species: [String] = []",
                      metadata={"tags": ["parameters"]}),
        new_code_cell('print("folder=\\(dataFolder) epochs=\\(epochs) rate=\\(rate) augment=\\(augment) species=\\(species)")\n'
                      "print(epochs * 2, rate * 2, species.count)"),
    ], metadata={"kernelspec": {"name": "shoal", "display_name": "Swift (Shoal)", "language": "swift"}})
    nbformat.write(nb, path)


def run(*args, cwd):
    return subprocess.run([PAPERMILL, *args], cwd=cwd, capture_output=True, text=True, timeout=180)


def stdout_of(path):
    nb = nbformat.read(path, as_version=4)
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs), nb


def test_papermill_cli_injects_swift_parameters(tmp_path):
    write_notebook(tmp_path / "in.ipynb")
    done = run("in.ipynb", "out.ipynb", "-k", "shoal", "-p", "dataFolder", 'my "photos"/reef', "-p", "epochs", "12",
               "-p", "rate", "0.25", "-p", "augment", "True", "-y", "species: [perch, trout]", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    text, nb = stdout_of(tmp_path / "out.ipynb")
    assert 'folder=my "photos"/reef epochs=12 rate=0.25 augment=true species=["perch", "trout"]' in text, text
    assert "24 0.5 2" in text, text
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected, "papermill adds a cell tagged injected-parameters"
    comment = injected[0].source.split("\n")[0]
    assert comment.startswith("// Parameters injected by papermill: "), comment
    assert sorted(comment.split(": ", 1)[1].split(", ")) == ["augment", "dataFolder", "epochs", "rate", "species"], comment
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]


def test_yaml_values_become_swift_literals_the_cells_can_use(tmp_path):
    write_notebook(tmp_path / "in.ipynb")
    nb = nbformat.read(tmp_path / "in.ipynb", as_version=4)
    nb.cells.append(new_code_cell('print(limits["perch"]!, counts, nothing == nil, empty.count, ratios)'))
    nbformat.write(nb, tmp_path / "in.ipynb")
    done = run("in.ipynb", "out.ipynb", "-k", "shoal", "-y",
               "limits: {perch: 3, trout: 4}\ncounts: [[1, 2], []]\nnothing: null\nempty: []\nratios: [1, 2.5]",
               cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    text, _ = stdout_of(tmp_path / "out.ipynb")
    assert "3 [[1, 2], []] true 0 [1.0, 2.5]" in text, text


def test_help_notebook_lists_the_parameters(tmp_path):
    write_notebook(tmp_path / "in.ipynb")
    done = run("--help-notebook", "in.ipynb", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    assert "dataFolder: String (default \"\")" in out and "The folder of photos, one sub-folder per species." in out, out
    assert "epochs: Int (default 5)" in out and "epochs to train" in out, out
    assert "rate: Double (default 0.1)" in out and "augment: Bool (default false)" in out, out
    assert "species: [String] (default [])" in out, out


def test_a_value_swift_cannot_hold_is_refused_by_name(tmp_path):
    write_notebook(tmp_path / "in.ipynb")
    done = run("in.ipynb", "out.ipynb", "-k", "shoal", "-p", "limit", str(10**24), cwd=tmp_path)
    assert done.returncode != 0
    assert f"papermill parameter 'limit' is {10**24}, which does not fit in Swift's Int (64 bits" in done.stderr, done.stderr[-2000:]
    done = run("in.ipynb", "out.ipynb", "-k", "shoal", "-y", "mixed: [perch, 3]", cwd=tmp_path)
    assert done.returncode != 0
    assert "papermill parameter 'mixed' is a list that mixes String and Int" in done.stderr, done.stderr[-2000:]


def test_a_date_from_python_is_refused_by_name(tmp_path):
    """papermill's command line reads YAML dates as text; from Python a date arrives as a date."""
    import datetime

    import papermill
    import pytest

    write_notebook(tmp_path / "in.ipynb")
    with pytest.raises(Exception) as refused:
        papermill.execute_notebook(str(tmp_path / "in.ipynb"), str(tmp_path / "out.ipynb"), kernel_name="shoal",
                                   parameters={"when": datetime.date(2026, 12, 1)}, progress_bar=False)
    assert "papermill parameter 'when' is a datetime.date (datetime.date(2026, 12, 1)), which a Swift cell cannot take" \
        in str(refused.value)
