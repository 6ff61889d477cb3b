"""Runs cells through `shoal exec`, and prepares pictures both sides read exactly.

Shoal draws the fish and saves them as JPEG; here they are decoded once and
saved again as PNG (lossless), in train/ and test/ folders, so that Shoal
(ImageFolder) and the Python runtimes read the very same pixels.
"""
import json
import os
import subprocess

import numpy as np
import pytest
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHOAL = os.environ.get("SHOAL", os.path.join(ROOT, ".build-kernel", "debug", "shoal"))


def shoal_exec(cells, cwd, timeout=600):
    """Runs `cells` (a list of cell sources) with `shoal exec`; returns stdout. Fails on any error."""
    path = os.path.join(cwd, "cells.swift")
    with open(path, "w") as f:
        f.write("".join("// %%\n" + c.strip() + "\n" for c in cells))
    run = subprocess.run([SHOAL, "exec", path, "--cells"], cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert run.returncode == 0, run.stdout + run.stderr
    return run.stdout


def tagged(stdout, tag):
    """The value printed after `tag` (a line `TAG json`)."""
    for line in stdout.splitlines():
        if line.startswith(tag + " "):
            return json.loads(line[len(tag) + 1:])
    raise AssertionError(f"no {tag} line in:\n{stdout}")


def pictures_as_png(jpeg_root, png_root, train_per_class):
    """Every class folder's JPEGs, decoded and saved as PNG: the first
    `train_per_class` (by name) in train/, the rest in test/."""
    for species in sorted(os.listdir(jpeg_root)):
        files = sorted(os.listdir(os.path.join(jpeg_root, species)))
        for i, name in enumerate(files):
            part = "train" if i < train_per_class else "test"
            os.makedirs(os.path.join(png_root, part, species), exist_ok=True)
            image = Image.open(os.path.join(jpeg_root, species, name)).convert("RGB")
            image.save(os.path.join(png_root, part, species, os.path.splitext(name)[0] + ".png"))


def load_pictures(folder):
    """(pixels uint8 [n, h, w, 3], labels, classes) in ImageFolder's order: classes, then files, by name."""
    classes = sorted(d for d in os.listdir(folder) if os.path.isdir(os.path.join(folder, d)))
    pixels, labels = [], []
    for label, species in enumerate(classes):
        for name in sorted(os.listdir(os.path.join(folder, species))):
            pixels.append(np.asarray(Image.open(os.path.join(folder, species, name)).convert("RGB")))
            labels.append(label)
    return np.stack(pixels), np.array(labels), classes


def scaled(pixels):
    """Shoal's input: value / 127.5 − 1, in float32 arithmetic as Shoal computes it."""
    return pixels.astype(np.float32) / np.float32(127.5) - np.float32(1)


@pytest.fixture(scope="session")
def fish_folders(tmp_path_factory):
    """The drawn fish, 224 and 32 pixels, as PNG train/test folders."""
    root = tmp_path_factory.mktemp("fish")
    shoal_exec(['Fish.synthetic(seed: 7, perClass: 27).saveImages("jpeg-224")',
                'Fish.synthetic(seed: 8, perClass: 40, imageSize: 32).saveImages("jpeg-32")'], str(root))
    pictures_as_png(os.path.join(root, "jpeg-224"), os.path.join(root, "fish-224"), train_per_class=10)
    pictures_as_png(os.path.join(root, "jpeg-32"), os.path.join(root, "fish-32"), train_per_class=20)
    return root
