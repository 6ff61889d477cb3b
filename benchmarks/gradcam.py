"""One Grad-CAM explanation of a 224-pixel picture: Shoal against torch, in one run.

Both explain a drawn fish with EfficientNet-Lite0 and a three-class head
(dropout left out at inference): the forward pass, the gradient of the
class's log-probability back to the last feature map (7×7×1280), the
channel-weighted map, resized to 224×224. Torch does it the usual way, with
autograd hooks on the reference port (efficientnet-lite-pytorch), once as
written (every parameter requires a gradient, so backward runs through the
whole network) and once with the backbone's parameters frozen (backward
stops at the hooked feature map, as Shoal's does); the faster torch run is
the peer. Two threads each; the sides alternate three times and each keeps
its best time (each time is itself a best of 20). Run by `make bench`.
"""
import json
import os
import subprocess
import time

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, ".build", "debug", "shoal-engine-bench")
THREADS = 2


def shoal_milliseconds():
    out = subprocess.run([BENCH, str(THREADS)], capture_output=True, text=True, check=True,
                         env=dict(os.environ, SHOAL_BENCH_ONLY="gradcam")).stdout
    return json.loads(out)["milliseconds"]


def torch_model(frozen):
    from efficientnet_lite_pytorch import EfficientNet

    model = EfficientNet.from_name("efficientnet-lite0")
    model._fc = torch.nn.Linear(1280, 3)
    model.eval()
    if frozen:
        for name, p in model.named_parameters():
            p.requires_grad_(name.startswith("_fc."))
    return model


def torch_milliseconds(model, x):
    kept = {}

    def keep(module, inputs, output):
        if output.shape[1] != 1280:
            return output  # the same ReLU6 after the stem
        # With the backbone frozen nothing before here needs a gradient: the
        # feature map becomes the leaf the gradient stops at.
        if not output.requires_grad:
            output = output.detach().requires_grad_(True)
        kept["activation"] = output
        output.register_hook(lambda grad, key=id(output): kept.__setitem__(key, grad))
        return output

    handle = model._swish.register_forward_hook(keep)

    def once():
        model.zero_grad(set_to_none=True)
        logits = model(x)
        c = int(logits.argmax())
        torch.log_softmax(logits, dim=1)[0, c].backward()
        a = kept["activation"]
        weights = kept[id(a)].mean(dim=(2, 3), keepdim=True)
        heat = torch.relu((weights * a).sum(dim=1, keepdim=True)).detach()
        return torch.nn.functional.interpolate(heat, size=(224, 224), mode="bilinear", align_corners=False)

    once()
    best = float("inf")
    for _ in range(20):
        t0 = time.perf_counter()
        once()
        best = min(best, time.perf_counter() - t0)
    handle.remove()
    return best * 1000


def main():
    torch.set_num_threads(THREADS)
    x = torch.rand(1, 3, 224, 224) * 2 - 1
    models = {"as written": torch_model(False), "backbone frozen": torch_model(True)}
    shoal, peers = float("inf"), {name: float("inf") for name in models}
    for _ in range(3):
        shoal = min(shoal, shoal_milliseconds())
        for name, model in models.items():
            peers[name] = min(peers[name], torch_milliseconds(model, x))
    name = min(peers, key=peers.get)
    print(f"bench gradcam-efficientnet-lite0-224: shoal {shoal:.1f} ms | torch {peers[name]:.1f} ms | ratio {peers[name] / shoal:.2f}")
    print("  torch " + ", ".join(f"{n} {t:.1f} ms" for n, t in peers.items()))


if __name__ == "__main__":
    main()
