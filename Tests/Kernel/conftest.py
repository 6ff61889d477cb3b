"""Installs the freshly built Shoal kernelspec into a temporary Jupyter data dir."""
import os
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHOAL = os.environ.get("SHOAL", os.path.join(ROOT, ".build-kernel", "debug", "shoal"))

_data_dir = tempfile.mkdtemp(prefix="shoal-jupyter-")
subprocess.run([SHOAL, "install", "--prefix", _data_dir], check=True, capture_output=True)
os.environ["JUPYTER_PATH"] = os.path.join(_data_dir, "share", "jupyter")
