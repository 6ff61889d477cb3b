"""A notebook executed end to end by nbclient, as `jupyter execute` does."""
import io
import os
import subprocess
import sys

import nbformat
from PIL import Image

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


def test_gallery_renders_every_chart_grid_and_table_through_the_kernel(tmp_path):
    """One of each picture and table, through the kernel; PNGs land in .build/gallery/."""
    import base64

    source = os.path.join(HERE, "notebooks", "gallery.ipynb")
    out = tmp_path / "gallery.ipynb"
    done = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "jupyter-execute"), source, "--output", str(out)],
        capture_output=True, text=True, timeout=180,
    )
    assert done.returncode == 0, done.stderr
    nb = nbformat.read(out, as_version=4)
    results = [c.outputs[-1] for c in nb.cells if c.cell_type == "code"]
    assert all(r["output_type"] == "execute_result" for r in results)
    gallery = os.path.join(os.path.dirname(os.path.dirname(HERE)), ".build", "gallery")
    os.makedirs(gallery, exist_ok=True)
    names = ["history", "scatter", "bars", "confusion", "grid", "fish"]
    # Charts are PNG; grids of photographs are JPEG (a fraction of the size).
    formats = ["png", "png", "png", "png", "jpeg", "jpeg"]
    for name, kind, result in zip(names, formats, results):
        mime = "image/" + kind
        assert mime in result["data"], (name, list(result["data"]))
        data = base64.b64decode(result["data"][mime])
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == kind.upper()
            size = image.size
        # Drawn at twice the display size given in the metadata.
        meta = result["metadata"][mime]
        assert size == (2 * meta["width"], 2 * meta["height"])
        assert result["data"]["text/plain"]
        with open(os.path.join(gallery, name + (".png" if kind == "png" else ".jpg")), "wb") as f:
            f.write(data)
    assert results[0]["metadata"]["image/png"] == {"width": 920, "height": 320}
    assert "Loss — training" in results[0]["data"]["text/plain"]
    table = results[-1]["data"]
    assert table["text/html"].startswith('<table class="shoal-table"><caption')
    assert "<td style=\"text-align: right\">70</td>" in table["text/html"]
    assert table["text/plain"].splitlines()[0] == "Images per split"
