"""Drawing speed: Shoal's Rendering against matplotlib (Agg backend, PNG) in one run.

Both draw a 20-epoch history as two charts side by side (loss with a
best-epoch marker, accuracy) and a 10×10 grid of 64×64 pictures with
captions and frames, at the same pixel size (920×320 and 752×998 points at
2×), and encode PNG in memory. Best of ten runs each. Run by `make bench`.
"""
import io
import json
import os
import subprocess
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, ".build", "debug", "shoal-render-bench")


def history_png():
    epochs = np.arange(1, 21)
    train = 1.2 * np.exp(-epochs / 6) + 0.05
    val = 1.1 * np.exp(-epochs / 5) + 0.15 + 0.004 * np.maximum(0, epochs - 12) * (epochs - 12)
    fig, (a, b) = plt.subplots(1, 2, figsize=(9.2, 3.2), dpi=200)
    a.plot(epochs, train, "o-", label="training")
    a.plot(epochs, val, "o-", label="validation")
    a.axvline(12, linestyle="--", color="0.3")
    a.text(12.3, a.get_ylim()[1] * 0.95, "best epoch")
    a.set(title="Loss", xlabel="epoch", ylabel="loss")
    a.legend()
    a.grid(True)
    b.plot(epochs, 1 - train / 1.3, "o-", label="training")
    b.plot(epochs, 1 - val / 1.3, "o-", label="validation")
    b.set(title="Accuracy", xlabel="epoch", ylabel="accuracy", ylim=(0, 1))
    b.legend()
    b.grid(True)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def grid_png():
    p = np.arange(64 * 64)
    fig, axes = plt.subplots(10, 10, figsize=(7.52, 9.98), dpi=200)
    for i, ax in enumerate(axes.flat):
        img = np.zeros((64, 64, 3), np.uint8)
        img[..., 0] = ((p % 64) * 4 % 256).reshape(64, 64)
        img[..., 1] = ((p // 64) * 4 % 256).reshape(64, 64)
        img[..., 2] = i * 2
        ax.imshow(img)
        ax.set_xticks([])
        ax.set_yticks([])
        colour = "#D55E00" if i % 7 == 0 else "#009E73"
        for spine in ax.spines.values():
            spine.set_edgecolor(colour)
            spine.set_linewidth(3)
            if i % 7 == 0:
                spine.set_linestyle("--")
        ax.set_xlabel(f"fish {i + 1}", fontsize=7)
    fig.suptitle("Predictions")
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def best(f, runs=10):
    f()
    fastest = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        f()
        fastest = min(fastest, time.perf_counter() - t0)
    return fastest


def main():
    out = subprocess.run([BENCH], capture_output=True, text=True, check=True).stdout
    shoal = {r["name"]: r["seconds"] for r in map(json.loads, out.splitlines())}
    for name, f, label in (("history", history_png, "render-history-20-epochs"), ("grid", grid_png, "render-grid-10x10")):
        t = best(f)
        s = shoal[name]
        print(f"bench {label}: shoal {s * 1000:.1f} ms | matplotlib {t * 1000:.1f} ms | ratio {t / s:.1f}")


if __name__ == "__main__":
    main()
