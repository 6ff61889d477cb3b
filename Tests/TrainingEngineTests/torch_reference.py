"""Reference data for the engine's tests, written as safetensors files.

    python torch_reference.py OUTDIR

- digits.safetensors: scikit-learn's bundled 8×8 digits (1,797 images),
  pixel values scaled to [0, 1], labels as floats.
- case_*.safetensors: small models trained for a few steps in PyTorch from
  fixed initial weights; the inputs of every step, the initial and final
  weights (converted to Shoal's layouts and names) and the loss of every
  step. The Swift test builds the same model, trains it on the same batches
  and compares.

Layouts: Dense weight [in, out] (torch's transposed), Conv2D [kh, kw, in, out]
(torch's [out, in, kh, kw] permuted), depthwise [kh, kw, channels], images
NHWC (torch's NCHW permuted).
"""
import os
import sys

import torch
import torch.nn.functional as F
from safetensors.torch import save_file
from torch import nn

torch.manual_seed(0)
torch.set_num_threads(1)


def dense(t):
    return t.detach().t().contiguous()


def conv(t):
    return t.detach().permute(2, 3, 1, 0).contiguous()


def depthwise(t):
    return t.detach()[:, 0].permute(1, 2, 0).contiguous()


def nhwc(t):
    return t.permute(0, 2, 3, 1).contiguous()


def write_digits(out):
    from sklearn.datasets import load_digits

    digits = load_digits()
    x = torch.tensor(digits.data, dtype=torch.float32) / 16.0
    y = torch.tensor(digits.target, dtype=torch.float32)
    save_file({"x": x, "y": y}, os.path.join(out, "digits.safetensors"))


class Case:
    def __init__(self, name, model, export, steps, batch, input_shape, classes, make_optimizer, loss):
        self.name, self.model, self.export = name, model, export
        self.steps, self.batch, self.input_shape, self.classes = steps, batch, input_shape, classes
        self.make_optimizer, self.loss = make_optimizer, loss

    def run(self, out):
        tensors = {f"init.{k}": v.clone() for k, v in self.export().items()}
        xs = torch.randn((self.steps, self.batch) + self.input_shape)
        ys = torch.randint(0, self.classes, (self.steps, self.batch))
        opt = self.make_optimizer(self.model.parameters())
        losses = []
        self.model.train()
        for s in range(self.steps):
            opt.zero_grad()
            loss = self.loss(self.model(xs[s]), ys[s])
            loss.backward()
            opt.step()
            losses.append(loss.item())
        tensors.update({f"final.{k}": v.clone() for k, v in self.export().items()})
        tensors["x"] = nhwc(xs.flatten(0, 1)) if len(self.input_shape) == 3 else xs.flatten(0, 1)
        tensors["y"] = ys.flatten().float()
        tensors["losses"] = torch.tensor(losses)
        save_file(tensors, os.path.join(out, f"case_{self.name}.safetensors"))


def mlp_case():
    m = nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 3))

    def export():
        return {"0.weight": dense(m[0].weight), "0.bias": m[0].bias.detach(),
                "2.weight": dense(m[2].weight), "2.bias": m[2].bias.detach()}

    return Case("mlp_sgd_nesterov", m, export, 6, 10, (6,), 3,
                lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-3),
                nn.CrossEntropyLoss(label_smoothing=0.1))


class SmallCNN(nn.Module):
    """Conv-BN-ReLU, max pool, TF-"same" stride-2 conv, depthwise, ReLU6, GAP, Dense."""

    def __init__(self):
        super().__init__()
        # No bias before batch norm: its gradient is zero up to rounding, which
        # Adam would amplify into noise-driven steps on either side.
        self.conv1 = nn.Conv2d(2, 4, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(4)
        self.conv2 = nn.Conv2d(4, 4, 3, stride=2, bias=False)
        self.dw = nn.Conv2d(4, 4, 3, padding=1, groups=4)
        self.fc = nn.Linear(4, 3)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn(self.conv1(x))), 2)
        x = self.conv2(F.pad(x, (0, 1, 0, 1)))  # TensorFlow "same" for an even size, stride 2
        x = F.relu6(self.dw(x))
        return self.fc(x.mean(dim=(2, 3)))


def cnn_case():
    m = SmallCNN()

    def export():
        return {"0.weight": conv(m.conv1.weight),
                "1.scale": m.bn.weight.detach(), "1.shift": m.bn.bias.detach(),
                "1.runningMean": m.bn.running_mean.detach(), "1.runningVariance": m.bn.running_var.detach(),
                "4.weight": conv(m.conv2.weight),
                "5.weight": depthwise(m.dw.weight), "5.bias": m.dw.bias.detach(),
                "8.weight": dense(m.fc.weight), "8.bias": m.fc.bias.detach()}

    return Case("cnn_adam", m, export, 5, 6, (2, 8, 8), 3,
                lambda p: torch.optim.Adam(p, lr=0.01), nn.CrossEntropyLoss())


def adamw_case():
    m = nn.Sequential(nn.Linear(5, 7), nn.ReLU(), nn.Linear(7, 4))

    def export():
        return {"0.weight": dense(m[0].weight), "0.bias": m[0].bias.detach(),
                "2.weight": dense(m[2].weight), "2.bias": m[2].bias.detach()}

    return Case("mlp_adamw", m, export, 6, 8, (5,), 4,
                lambda p: torch.optim.AdamW(p, lr=0.02, weight_decay=0.1), nn.CrossEntropyLoss())


def winograd_case():
    """Two 3x3 convolutions with ReLU and 2x2 max pools, as the engine bench's
    CNN: the second (8 to 16 channels, even size) runs as Winograd's F(2x2, 3x3) in Shoal."""
    m = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 3))

    def export():
        return {"0.weight": conv(m[0].weight), "0.bias": m[0].bias.detach(),
                "3.weight": conv(m[3].weight), "3.bias": m[3].bias.detach(),
                "7.weight": dense(m[8].weight), "7.bias": m[8].bias.detach()}

    return Case("winograd_sgd", m, export, 5, 6, (3, 8, 8), 3,
                lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9), nn.CrossEntropyLoss())


def write_legacy(out):
    """A state dict in torch's legacy (non-zip) format, as the EfficientNet
    weights ship, with views of shared storage and an integer tensor; and
    the same float tensors as safetensors to compare with."""
    from collections import OrderedDict

    base = torch.randn(4, 6)
    sd = OrderedDict()
    sd["conv.weight"] = torch.randn(8, 3, 3, 3)
    sd["fc.weight"] = base
    sd["fc.transposed"] = base.t()              # a strided view of the same storage
    sd["fc.row"] = base[2]                      # an offset into it
    sd["bn.num_batches_tracked"] = torch.tensor(7)
    sd["scalar"] = torch.tensor(3.5)
    torch.save(sd, os.path.join(out, "legacy.pth"), _use_new_zipfile_serialization=False)
    save_file({k: v.contiguous().clone() for k, v in sd.items() if v.dtype == torch.float32},
              os.path.join(out, "legacy-expected.safetensors"))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    write_digits(out)
    write_legacy(out)
    for case in (mlp_case(), cnn_case(), adamw_case(), winograd_case()):
        case.run(out)


if __name__ == "__main__":
    main()
