"""A notebook executed end to end by nbclient, as `jupyter execute` does."""
import os
import subprocess
import sys

import nbformat

HERE = os.path.dirname(os.path.abspath(__file__))


def test_jupyter_execute_runs_a_notebook(tmp_path):
    source = os.path.join(HERE, "notebooks", "smoke.ipynb")
    out = tmp_path / "smoke.ipynb"
    done = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "jupyter-execute"), source, "--output", str(out)],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    nb = nbformat.read(out, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == [1, 2, 3, 4]
    assert code[1].outputs[0]["text"] == "iterations per epoch: 2\n"
    assert code[2].outputs[0]["data"]["text/plain"] == "0.82"
    assert not any(o.get("output_type") == "error" for c in code for o in c.outputs)


def test_jupyter_execute_fails_on_a_cell_error(tmp_path):
    nb = nbformat.read(os.path.join(HERE, "notebooks", "smoke.ipynb"), as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("print(acuracies)"))
    path = tmp_path / "broken.ipynb"
    nbformat.write(nb, path)
    done = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "jupyter-execute"), str(path)],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode != 0
    assert "cannot find 'acuracies' in scope; did you mean 'accuracies'?" in done.stderr
