"""What the export tests and the export benchmark share: running cells
through `shoal exec`, pictures both sides read exactly, and the runtimes.

Shoal draws the fish and saves them as JPEG; here they are decoded once and
saved again as PNG (lossless), in train/ and test/ folders, so that Shoal
(ImageFolder) and the Python runtimes read the very same pixels.
"""
import json
import os
import subprocess

import numpy as np
import onnxruntime
from ai_edge_litert import schema_py_generated as schema
from ai_edge_litert.interpreter import Interpreter
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHOAL = os.environ.get("SHOAL", os.path.join(ROOT, ".build-kernel", "debug", "shoal"))


def shoal_exec(cells, cwd, timeout=600, expect_error=False, timing=False):
    """Runs `cells` (a list of cell sources) with `shoal exec`; returns stdout (and
    stderr, with `timing` or `expect_error`). Fails on any error, or, with
    `expect_error`, unless there is one."""
    path = os.path.join(cwd, "cells.swift")
    with open(path, "w") as f:
        f.write("".join("// %%\n" + c.strip() + "\n" for c in cells))
    flags = ["--cells"] + (["--timing"] if timing else [])
    run = subprocess.run([SHOAL, "exec", path] + flags, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert (run.returncode != 0) == expect_error, run.stdout + run.stderr
    return run.stdout + run.stderr if expect_error or timing else run.stdout


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


def litert(path, x, batch=20):
    """Runs a .tflite file on `x` (float pictures as Shoal scales them), quantizing
    the input and dequantizing the output when the file's tensors are integers."""
    interpreter = Interpreter(model_path=path, num_threads=2)
    inp, out = interpreter.get_input_details()[0], interpreter.get_output_details()[0]
    results, size = [], None
    for start in range(0, len(x), batch):
        chunk = x[start:start + batch]
        if size != len(chunk):
            interpreter.resize_tensor_input(inp["index"], [len(chunk)] + list(inp["shape"][1:]))
            interpreter.allocate_tensors()
            size = len(chunk)
        if inp["dtype"] != np.float32:
            scale, zero = inp["quantization"]
            info = np.iinfo(inp["dtype"])
            chunk = np.clip(np.round(chunk / scale) + zero, info.min, info.max).astype(inp["dtype"])
        interpreter.set_tensor(inp["index"], chunk)
        interpreter.invoke()
        y = interpreter.get_tensor(out["index"])
        if out["dtype"] != np.float32:
            scale, zero = out["quantization"]
            y = (y.astype(np.float32) - zero) * scale
        results.append(y.copy())
    return np.concatenate(results)


def ort(path, x, batch=20):
    session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    return np.concatenate([session.run(None, {name: x[s:s + batch]})[0] for s in range(0, len(x), batch)])


def accuracy(probabilities, labels):
    return float(np.mean(np.argmax(probabilities, axis=1) == labels))


def op_names(path):
    """The operators the file asks for, read with LiteRT's own generated schema code."""
    model = schema.Model.GetRootAsModel(open(path, "rb").read(), 0)
    names = {v: k for k, v in vars(schema.BuiltinOperator).items() if not k.startswith("_")}
    codes = [model.OperatorCodes(i) for i in range(model.OperatorCodesLength())]
    assert all(not c.CustomCode() for c in codes)
    return {names[max(c.BuiltinCode(), c.DeprecatedBuiltinCode())] for c in codes}
