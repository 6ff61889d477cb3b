#!/usr/bin/env python3
"""From a slider change to the updated chart's display message, Shoal against
the same interaction written with ipywidgets in ipykernel, both driven by
jupyter_client in the same run.

- polynomial: a degree slider over ten points; each change fits the degree
  and redraws the scatter chart with the fitted curve (Shoal:
  polynomialExplorer; ipykernel: scikit-learn's PolynomialFeatures +
  LinearRegression and a matplotlib PNG), replaced in place with
  update_display_data.
- head: an epochs slider over 300 pictures' cached backbone features (1,280
  each, three classes); each change retrains the head (dropout 0.2 and a
  dense layer, Adam, batch 32, from the same starting weights) and redraws
  the loss and accuracy curves (Shoal: ImageClassifier.headExplorer on
  EfficientNet-Lite0's features; ipykernel: torch on seeded random features
  of the same shape, as the features' values do not change the work, and a
  matplotlib PNG).

Both draw their charts with the same pixels: Shoal draws at twice the size
it is shown at (460 × 320 and 920 × 320 points), so matplotlib draws those
sizes at 200 dpi.

The time is from sending the comm_msg (the slider's `update`) to receiving
the update_display_data it causes: median over the changes. Ratios are above
1 when Shoal is faster.
"""
import base64
import os
import statistics
import struct
import subprocess
import tempfile
import time

from jupyter_client import KernelManager

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHOAL = os.environ.get("SHOAL", os.path.join(ROOT, ".build-kernel", "debug", "shoal"))
CHANGES = int(os.environ.get("BENCH_WIDGET_CHANGES", "16"))

SHOAL_POLYNOMIAL = """
let xs = (0..<10).map { Double($0) / 9 }
let ys = xs.enumerated().map { i, x in 1 + 0.8 * x - 0.5 * x * x + (i % 2 == 0 ? 0.05 : -0.05) }
let fx = (1...5).map { 1 + Double($0) * 0.05 }
polynomialExplorer(x: xs, y: ys, futureX: fx, futureY: fx.map { 1 + 0.8 * $0 - 0.5 * $0 * $0 })
"""

PYTHON_POLYNOMIAL = """
import ipywidgets as W, numpy as np

import matplotlib.pyplot as plt
from IPython.display import display
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures
xs = np.arange(10) / 9
ys = 1 + 0.8 * xs - 0.5 * xs ** 2 + np.where(np.arange(10) % 2 == 0, 0.05, -0.05)
fx = 1 + np.arange(1, 6) * 0.05
fy = 1 + 0.8 * fx - 0.5 * fx ** 2
cx = np.linspace(0, 1.25, 201)
def draw(d):
    m = make_pipeline(PolynomialFeatures(d), LinearRegression()).fit(xs[:, None], ys)
    past = np.mean((m.predict(xs[:, None]) - ys) ** 2)
    future = np.mean((m.predict(fx[:, None]) - fy) ** 2)
    fig, ax = plt.subplots(figsize=(4.6, 3.2), dpi=200)
    ax.scatter(xs, ys, label="past (learned from)")
    ax.scatter(fx, fy, marker="^", facecolors="none", edgecolors="C1", label="future (not seen)")
    ax.plot(cx, m.predict(cx[:, None]), label=f"degree {d}")
    ax.set_ylim(0.8, 1.5)
    ax.set_title(f"degree {d}: past error {past:.4f}, future error {future:.4f}")
    ax.legend()
    plt.close(fig)
    return fig
degree = W.IntSlider(value=1, min=1, max=9, description="degree")
shown = display(draw(1), display_id=True)
degree.observe(lambda change: shown.update(draw(change["new"])), names="value")
display(degree)
"""

SHOAL_HEAD = """
let fish = Fish.synthetic(seed: 7, perClass: 125)
let (train, validation) = fish.split(0.8, seed: 42)
var model = ImageClassifier(classes: fish.classes)
model.headExplorer(train, validation: validation)
"""

PYTHON_HEAD = """
import ipywidgets as W, numpy as np, torch

import matplotlib.pyplot as plt
from IPython.display import display
torch.manual_seed(0)
torch.set_num_threads(1)  # tiny layers: one thread is torch at its fastest here
train_x, train_y = torch.randn(300, 1280), torch.randint(0, 3, (300,))
val_x, val_y = torch.randn(75, 1280), torch.randint(0, 3, (75,))
head = torch.nn.Sequential(torch.nn.Dropout(0.2), torch.nn.Linear(1280, 3))
start = {k: v.clone() for k, v in head.state_dict().items()}
def retrain(epochs, rate=0.001):
    head.load_state_dict(start)
    torch.manual_seed(0)
    opt = torch.optim.Adam(head.parameters(), lr=rate)
    rows = []
    for epoch in range(epochs):
        head.train()
        order = torch.randperm(300)
        total, right = 0.0, 0
        for i in range(0, 300, 32):
            idx = order[i:i + 32]
            opt.zero_grad()
            out = head(train_x[idx])
            loss = torch.nn.functional.cross_entropy(out, train_y[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
            right += (out.argmax(1) == train_y[idx]).sum().item()
        head.eval()
        with torch.no_grad():
            out = head(val_x)
            rows.append((total / 300, right / 300, torch.nn.functional.cross_entropy(out, val_y).item(),
                         (out.argmax(1) == val_y).float().mean().item()))
    fig, (a, b) = plt.subplots(1, 2, figsize=(9.2, 3.2), dpi=200)
    e = range(1, epochs + 1)
    a.plot(e, [r[0] for r in rows], label="training"); a.plot(e, [r[2] for r in rows], label="validation"); a.set_title("Loss")
    b.plot(e, [r[1] for r in rows], label="training"); b.plot(e, [r[3] for r in rows], label="validation"); b.set_title("Accuracy")
    b.set_ylim(0, 1); a.legend(); b.legend()
    plt.close(fig)
    return fig
epochs = W.IntSlider(value=20, min=1, max=60, description="epochs", continuous_update=False)
shown = display(retrain(20), display_id=True)
epochs.observe(lambda change: shown.update(retrain(change["new"])), names="value")
display(epochs)
"""


def install_shoal():
    prefix = tempfile.mkdtemp(prefix="shoal-bench-")
    subprocess.run([SHOAL, "install", "--prefix", prefix], check=True, capture_output=True)
    os.environ["JUPYTER_PATH"] = os.path.join(prefix, "share", "jupyter")


def until_idle(kc, msg_id, timeout=600):
    out = []
    while True:
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        out.append(m)
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            return out


def measure(kernel_name, code, values):
    """Median seconds from a slider's update to its update_display_data."""
    km = KernelManager(kernel_name=kernel_name)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        outputs = until_idle(kc, kc.execute(code))
        errors = [m for m in outputs if m["msg_type"] == "error"]
        if errors:
            raise SystemExit(f"{kernel_name}: {errors[0]['content']['evalue']}")
        sliders = [m["content"]["comm_id"] for m in outputs if m["msg_type"] == "comm_open"
                   and m["content"]["data"]["state"].get("_model_name") == "IntSliderModel"]
        slider = sliders[-1]
        times = []
        for value in values:
            msg = kc.session.msg("comm_msg", {"comm_id": slider,
                                              "data": {"method": "update", "state": {"value": value}, "buffer_paths": []}})
            started = time.perf_counter()
            kc.shell_channel.send(msg)
            while True:
                m = kc.get_iopub_msg(timeout=120)
                if m["parent_header"].get("msg_id") == msg["header"]["msg_id"] and m["msg_type"] == "update_display_data":
                    times.append(time.perf_counter() - started)
                    png = base64.b64decode(m["content"]["data"]["image/png"])
                    pixels = struct.unpack(">II", png[16:24])
                    break
            until_idle(kc, msg["header"]["msg_id"])
        return statistics.median(times), pixels
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def main():
    install_shoal()
    degrees = [2 + i % 8 for i in range(CHANGES)]
    epochs = [10 + 10 * (i % 3) for i in range(max(CHANGES // 2, 4))]
    for name, shoal_code, python_code, values in (("widget-polynomial", SHOAL_POLYNOMIAL, PYTHON_POLYNOMIAL, degrees),
                                                  ("widget-head-300", SHOAL_HEAD, PYTHON_HEAD, epochs)):
        shoal, shoal_pixels = measure("shoal", shoal_code, values)
        ipy, ipy_pixels = measure("python3", python_code, values)
        print(f"bench {name}: shoal {shoal * 1000:.1f} ms | ipykernel+ipywidgets {ipy * 1000:.1f} ms | ratio {ipy / shoal:.2f}"
              f"  (PNG {shoal_pixels[0]}×{shoal_pixels[1]} against {ipy_pixels[0]}×{ipy_pixels[1]})", flush=True)


if __name__ == "__main__":
    main()
