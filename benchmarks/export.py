"""Exported models: size and test accuracy of each format, and inference speed
of LiteRT and onnxruntime against Shoal's own engine on the same pictures.

The fish classifier (EfficientNet-Lite0 + a new head, 180 training pictures of the course fish)
is trained through `shoal exec` and exported as safetensors, TFLite float32,
float16 and int8, and ONNX. Each file's accuracy on the 120 test pictures is
measured by its own runtime (Shoal for safetensors). Speed: all 120 test
pictures through the whole network at batch 30 with 2 threads; Shoal runs
`model.probabilities(test)` on the reloaded network (no cached features),
timed by `shoal exec --timing`. Three rounds alternate Shoal and the peers;
each keeps its best. Run by `make bench`.
"""
import os
import re
import sys
import time

import numpy as np
import onnxruntime
from ai_edge_litert.interpreter import Interpreter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "Tests", "Export"))
from exported import accuracy, load_pictures, pictures_as_png, scaled, shoal_exec, tagged  # noqa: E402

FOLDER = os.path.join(ROOT, ".build", "bench-export")
BATCH = 30
FILES = [("fish.safetensors", "Shoal (safetensors)"), ("fish.tflite", "LiteRT float32"),
         ("fish-float16.tflite", "LiteRT float16"), ("fish-int8.tflite", "LiteRT int8"), ("fish.onnx", "onnxruntime")]


def prepare():
    if not os.path.isdir(os.path.join(FOLDER, "png", "test")):
        os.makedirs(FOLDER, exist_ok=True)
        shoal_exec(['Fish.synthetic(seed: 11, perClass: 100).saveImages("jpeg")'], FOLDER)
        pictures_as_png(os.path.join(FOLDER, "jpeg"), os.path.join(FOLDER, "png"), train_per_class=60)
    out = shoal_exec(["""
        let train = ImageFolder("png/train", imageSize: 224)
        let test = ImageFolder("png/test", imageSize: 224)
        var model = ImageClassifier(classes: train.classes)
        let history = model.train(train, epochs: 10, batchSize: 32)
        model.export("fish")
        model.export("fish.tflite")
        model.export("fish-float16.tflite", quantization: "float16")
        model.export("fish-int8.tflite", quantization: "int8", calibration: train)
        model.export("fish.onnx")
        print("SHOAL", model.probabilities(test))
        """], FOLDER)
    return np.array(tagged(out, "SHOAL"))


def shoal_speed(n):
    out = shoal_exec(['let test = ImageFolder("png/test", imageSize: 224)', 'let model = loadModel("fish")',
                      "let p = model.probabilities(test)", "let q = model.probabilities(test)"], FOLDER, timing=True)
    ms = [float(m) for m in re.findall(r"timing: cell [34]: ([0-9.]+) ms", out)]
    return n / (min(ms) / 1000)


def litert_runner(path, x):
    interpreter = Interpreter(model_path=path, num_threads=2)
    index = interpreter.get_input_details()[0]["index"]
    interpreter.resize_tensor_input(index, [BATCH] + list(x.shape[1:]))
    interpreter.allocate_tensors()
    out = interpreter.get_output_details()[0]["index"]

    def run():
        results = []
        for s in range(0, len(x), BATCH):
            interpreter.set_tensor(index, x[s:s + BATCH])
            interpreter.invoke()
            results.append(interpreter.get_tensor(out).copy())
        return np.concatenate(results)
    return run


def ort_runner(path, x):
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 2
    session = onnxruntime.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    return lambda: np.concatenate([session.run(None, {name: x[s:s + BATCH]})[0] for s in range(0, len(x), BATCH)])


def best_speed(run, n):
    run()  # warm-up
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    return n / min(times)


def main():
    shoal_probabilities = prepare()
    pixels, labels, _ = load_pictures(os.path.join(FOLDER, "png", "test"))
    x = scaled(pixels)
    n = len(x)
    assert n % BATCH == 0
    runners = {"fish.tflite": litert_runner(os.path.join(FOLDER, "fish.tflite"), x),
               "fish-float16.tflite": litert_runner(os.path.join(FOLDER, "fish-float16.tflite"), x),
               "fish-int8.tflite": litert_runner(os.path.join(FOLDER, "fish-int8.tflite"), x),
               "fish.onnx": ort_runner(os.path.join(FOLDER, "fish.onnx"), x)}
    for name, title in FILES:
        size = os.path.getsize(os.path.join(FOLDER, name))
        probabilities = shoal_probabilities if name.endswith(".safetensors") else runners[name]()
        print(f"export {name}: {title}, {size / 1e6:.2f} MB, test accuracy {100 * accuracy(probabilities, labels):.1f}% "
              f"on {n} pictures")
    speeds = {name: 0.0 for name in ["shoal"] + list(runners)}
    for _ in range(3):
        speeds["shoal"] = max(speeds["shoal"], shoal_speed(n))
        for name, run in runners.items():
            speeds[name] = max(speeds[name], best_speed(run, n))
    for name, peer in [("fish.tflite", "litert-float32"), ("fish-float16.tflite", "litert-float16"),
                       ("fish-int8.tflite", "litert-int8"), ("fish.onnx", "onnxruntime")]:
        print(f"bench export-inference-{peer}: shoal {speeds['shoal']:.1f} images/s | {peer} {speeds[name]:.1f} images/s "
              f"| ratio {speeds['shoal'] / speeds[name]:.2f}")


if __name__ == "__main__":
    main()
