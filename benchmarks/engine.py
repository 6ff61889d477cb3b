"""Training throughput: Shoal's engine against PyTorch (CPU, 2 threads) in one run.

Both sides train the same two models at batch 64 with plain SGD on random
data, a warm-up epoch then the best of three timed epochs, and report images
per second. Also prints sgemm GFLOP/s and the share of the machine's peak
that training reaches. Run by `make bench`.
"""
import json
import os
import subprocess
import sys
import time

import torch
from torch import nn

THREADS = 2
ROUNDS = 5
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, ".build", "debug", "shoal-engine-bench")


def torch_model(kind):
    if kind == "mlp":
        return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10)), (784,)
    return nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(2048, 64), nn.ReLU(), nn.Linear(64, 10),
    ), (3, 32, 32)


def sgd_throughput(model, x, y, parameters, batch):
    """Pictures a second of plain SGD over (x, y) in shuffled batches, as the
    Shoal side counts them (gather, forward, loss, backward, step, accuracy):
    a warm-up epoch, then the best of three."""
    samples = len(x)
    opt = torch.optim.SGD(parameters, lr=0.01)
    loss_fn = nn.CrossEntropyLoss()

    def epoch():
        order = torch.randperm(samples)
        for start in range(0, samples, batch):
            idx = order[start:start + batch]
            xb, yb = x[idx], y[idx]
            opt.zero_grad()
            out = model(xb)
            loss = loss_fn(out, yb)
            loss.backward()
            opt.step()
            (out.argmax(1) == yb).sum().item()

    epoch()
    best = 0.0
    for _ in range(3):
        t0 = time.perf_counter()
        epoch()
        best = max(best, samples / (time.perf_counter() - t0))
    return best


def torch_throughput(kind, samples):
    torch.manual_seed(1)
    model, shape = torch_model(kind)
    x = torch.rand((samples,) + shape) * 2 - 1
    y = torch.arange(samples) % 10
    return sgd_throughput(model, x, y, model.parameters(), batch=64)


def torch_sgemm(n=1024):
    a, b = torch.rand(n, n), torch.rand(n, n)
    a @ b
    best = min(timed(lambda: a @ b) for _ in range(5))
    return 2 * n ** 3 / best / 1e9


def timed(f):
    t0 = time.perf_counter()
    f()
    return time.perf_counter() - t0


def flops_per_image(kind, winograd=False):
    """Multiply-adds of one training step per image, times 2 flops, forward
    plus backward (about twice the forward; the first layer's input gradient
    is not needed). With `winograd`, the second convolution's three products
    count the multiplications Shoal does: F(2x2, 3x3) takes 16 a tile of
    2x2 pixels instead of 36 (its transforms are additions, not counted)."""
    if kind == "mlp":
        macs = [784 * 256, 256 * 128, 128 * 10]
    else:
        second = 16 * 16 * 144 * 32
        macs = [32 * 32 * 27 * 16, second * 16 // 36 if winograd else second, 2048 * 64, 64 * 10]
    forward = 2 * sum(macs)
    backward = 2 * (2 * sum(macs) - macs[0])
    return forward + backward


def nominal_peak_gflops():
    """Cores × nominal clock × 32 single-precision flops per cycle (two 8-wide
    FMA units, AVX2). Turbo clocks run above it, so big sgemm can exceed it."""
    mhz = 0.0
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("cpu MHz"):
                mhz = max(mhz, float(line.split(":")[1]))
    return THREADS * mhz / 1000 * 32


def torch_efficientnet():
    """The reference port (efficientnet-lite-pytorch) at 224×224, batch 32, inference."""
    from efficientnet_lite_pytorch import EfficientNet

    model = EfficientNet.from_name("efficientnet-lite0")
    model.eval()
    x = torch.rand(32, 3, 224, 224) * 2 - 1
    with torch.no_grad():
        model(x)
        best = 0.0
        for _ in range(3):
            t0 = time.perf_counter()
            model(x)
            best = max(best, 32 / (time.perf_counter() - t0))
    return best


def torch_finetune(samples=64):
    """EfficientNet-Lite0 (reference port, random weights) with a three-class
    head; its top two blocks, the 1×1 head convolution with its batch norm and
    the classifier trainable (`requires_grad`, training mode), the rest frozen
    in eval mode; SGD at batch 32 on 224-pixel pictures, as Shoal's side."""
    from efficientnet_lite_pytorch import EfficientNet

    torch.manual_seed(1)
    model = EfficientNet.from_name("efficientnet-lite0")
    model._fc = nn.Linear(1280, 3)
    trainable = [model._blocks[14], model._blocks[15], model._conv_head, model._bn1, model._dropout, model._fc]
    for p in model.parameters():
        p.requires_grad = False
    model.eval()
    for m in trainable:
        m.train()
        for p in m.parameters():
            p.requires_grad = True
    x = torch.rand(samples, 3, 224, 224) * 2 - 1
    y = torch.arange(samples) % 3
    return sgd_throughput(model, x, y, [p for p in model.parameters() if p.requires_grad], batch=32)


def shoal_only(name, **env):
    out = subprocess.run([BENCH, str(THREADS)], capture_output=True, text=True, check=True,
                         env=dict(os.environ, SHOAL_BENCH_ONLY=name, **env)).stdout
    return json.loads(out)["images_per_second"]




def make_photo_folder(path, count=24):
    """Large photos (4000×3000 JPEGs with texture) in two class folders, made once."""
    import numpy as np
    from PIL import Image

    if os.path.isdir(path) and len(os.listdir(os.path.join(path, "b"))) == count // 2:
        return path
    rng = np.random.default_rng(0)
    for c in ("a", "b"):
        os.makedirs(os.path.join(path, c), exist_ok=True)
    for i in range(count):
        small = rng.integers(0, 255, (75, 100, 3), dtype=np.uint8)
        Image.fromarray(small).resize((4000, 3000), Image.BICUBIC).save(
            os.path.join(path, "ab"[i % 2], f"photo{i}.jpg"), quality=90)
    return path


def pillow_decode(folder):
    """Pillow with draft mode (JPEG DCT scaling), centre crop, antialiased resize to 224."""
    from PIL import Image

    files = [os.path.join(folder, c, f) for c in sorted(os.listdir(folder)) for f in sorted(os.listdir(os.path.join(folder, c)))]
    best = 0.0
    for _ in range(3):
        t0 = time.perf_counter()
        for path in files:
            im = Image.open(path)
            im.draft("RGB", (224, 224))
            im = im.convert("RGB")
            w, h = im.size
            s = min(w, h)
            im = im.crop(((w - s) // 2, (h - s) // 2, (w - s) // 2 + s, (h - s) // 2 + s)).resize((224, 224), Image.BOX)
            np_pixels = im.tobytes()
        best = max(best, len(files) / (time.perf_counter() - t0))
    return best


def shoal_run():
    out = subprocess.run([BENCH, str(THREADS)], capture_output=True, text=True, check=True).stdout
    return {r["name"]: r for r in map(json.loads, out.splitlines())}


def main():
    torch.set_num_threads(THREADS)
    samples = {"mlp": 64 * 200, "cnn": 64 * 20}
    # The machine's speed drifts; alternate the two sides and keep each one's best.
    best = {"shoal": {}, "torch": {}}
    for _ in range(ROUNDS):
        run = shoal_run()
        best["shoal"]["sgemm"] = max(best["shoal"].get("sgemm", 0), run["sgemm"]["gflops"])
        best["torch"]["sgemm"] = max(best["torch"].get("sgemm", 0), torch_sgemm())
        for kind in samples:
            best["shoal"][kind] = max(best["shoal"].get(kind, 0), run[kind]["images_per_second"])
            best["torch"][kind] = max(best["torch"].get(kind, 0), torch_throughput(kind, samples[kind]))
    s_sgemm, t_sgemm = best["shoal"]["sgemm"], best["torch"]["sgemm"]
    print(f"bench sgemm-1024: shoal {s_sgemm:.1f} GFLOP/s | torch {t_sgemm:.1f} GFLOP/s | ratio {s_sgemm / t_sgemm:.2f}")
    nominal = nominal_peak_gflops()
    for kind, label in (("mlp", "train-mlp-784-256-128-10"), ("cnn", "train-cnn-cifar-shape")):
        s, t = best["shoal"][kind], best["torch"][kind]
        print(f"bench {label}: shoal {s:.0f} images/s | torch {t:.0f} images/s | ratio {s / t:.2f}")
        gflops = s * flops_per_image(kind, winograd=kind == "cnn") / 1e9
        print(f"  {kind}: training runs at {gflops:.1f} GFLOP/s: {100 * gflops / s_sgemm:.0f}% of the machine's "
              f"sgemm peak ({s_sgemm:.0f} GFLOP/s on {THREADS} cores), {100 * gflops / nominal:.0f}% of its "
              f"nominal-clock peak ({nominal:.0f} GFLOP/s)")
        if kind == "cnn":
            direct = s * flops_per_image(kind) / 1e9
            print(f"  {kind}: counting the second convolution as torch does it (36 multiplications a 2x2 tile, "
                  f"not Winograd's 16): {direct:.1f} GFLOP/s")
    # Inference and fine-tuning: the two sides alternate, each keeps its best.
    s = t = fs = ft = 0.0
    for _ in range(2):
        s, t = max(s, shoal_only("efficientnet")), max(t, torch_efficientnet())
        fs, ft = max(fs, shoal_only("finetune")), max(ft, torch_finetune())
    print(f"bench efficientnet-lite0-inference-224-b32: shoal {s:.1f} images/s | torch {t:.1f} images/s | ratio {s / t:.2f}")
    print(f"bench efficientnet-lite0-finetune-top2-224-b32: shoal {fs:.1f} images/s | torch {ft:.1f} images/s "
          f"| ratio {fs / ft:.2f}")
    folder = make_photo_folder(os.path.join(ROOT, ".build", "bench-photos"))
    s, p = shoal_only("decode", SHOAL_BENCH_FOLDER=folder), pillow_decode(folder)
    print(f"bench decode-4000x3000-jpeg-to-224: shoal {s:.1f} images/s | pillow {p:.1f} images/s | ratio {s / p:.2f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
