"""The drawn fish as PNG folders, made once per test session (see exported.py)."""
import os

import pytest

from exported import pictures_as_png, shoal_exec


@pytest.fixture(scope="session")
def fish_folders(tmp_path_factory):
    """The drawn fish as PNG train/test folders: the course's fish (perch, striped
    bass, trout) at 224 pixels for the classifier, the six reef species at 32
    pixels for the small networks (which learn those from few pictures)."""
    root = tmp_path_factory.mktemp("fish")
    shoal_exec(['Fish.synthetic(seed: 7, perClass: 64).saveImages("jpeg-224")',
                'Fish.synthetic(seed: 8, perClass: 40, imageSize: 32, set: "reef").saveImages("jpeg-32")'], str(root))
    pictures_as_png(os.path.join(root, "jpeg-224"), os.path.join(root, "fish-224"), train_per_class=30)
    pictures_as_png(os.path.join(root, "jpeg-32"), os.path.join(root, "fish-32"), train_per_class=20)
    return root
