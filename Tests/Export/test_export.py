"""Models that leave Shoal, checked by the runtimes people deploy them with.

A fish classifier (EfficientNet-Lite0 + new head, frozen, then with its top
layers fine-tuned) and two Sequential models (a small CNN and a dense
network, on 32-pixel fish) are trained through `shoal exec` and exported:

- ONNX: onnx.checker.check_model(full_check=True) passes and onnxruntime's
  probabilities match Shoal's within 1e-4;
- TFLite float32: LiteRT allocates tensors, runs only builtin operators and
  matches Shoal within 1e-4; the class names come back from the file
  through TFLite Support's metadata reader (labels.txt zipped onto the model);
- TFLite float16: top-1 agrees with Shoal on at least 99% of the test pictures;
- TFLite int8: LiteRT's accuracy on the test pictures is within 3 points of
  the float model's, and the file is under 35% of the float32 file.

No accuracy of the fish themselves is assumed: every comparison is between
Shoal's float model and the exported file on the same pictures.
"""
import json
import os

import numpy as np
import onnx
import pytest
from ai_edge_litert.interpreter import Interpreter
from tensorflow_lite_support.metadata.python.metadata import MetadataDisplayer

from exported import accuracy, litert, load_pictures, op_names, ort, scaled, shoal_exec, tagged

BUILTIN_OPS = {"CONV_2D", "DEPTHWISE_CONV_2D", "ADD", "MEAN", "RESHAPE", "FULLY_CONNECTED", "SOFTMAX", "MAX_POOL_2D",
               "AVERAGE_POOL_2D", "RELU", "RELU6", "QUANTIZE", "DEQUANTIZE"}


@pytest.fixture(scope="module")
def classifier(fish_folders):
    """The fish classifier trained and exported in every format, with Shoal's own probabilities."""
    out = shoal_exec([
        """
        let train = ImageFolder("fish-224/train", imageSize: 224)
        let test = ImageFolder("fish-224/test", imageSize: 224)
        var model = ImageClassifier(classes: train.classes)
        let history = model.train(train, epochs: 10, batchSize: 16)
        """,
        'print("FROZEN", model.probabilities(test))',
        'model.export("fish.tflite")',
        'model.export("fish.onnx")',
        """
        let half = model.export("fish-float16.tflite", quantization: "float16", evaluateOn: test)
        print("FLOAT16", [half.accuracy!, half.floatAccuracy!])
        """,
        """
        let int8 = model.export("fish-int8.tflite", quantization: "int8", calibration: train, evaluateOn: test)
        print("INT8", [int8.accuracy!, int8.floatAccuracy!])
        int8
        """,
        'model.export("fish-uint8.tflite", quantization: "int8", calibration: train, inferenceInputType: "uint8", '
        'inferenceOutputType: "uint8")',
        """
        model.unfreeze(layers: 2)
        let tuning = model.train(train, epochs: 1, batchSize: 16, learningRate: 0.0001)
        model.export("tuned.tflite")
        model.export("tuned.onnx")
        print("TUNED", model.probabilities(test))
        """,
    ], str(fish_folders))
    pixels, labels, classes = load_pictures(os.path.join(fish_folders, "fish-224", "test"))
    return dict(out=out, dir=str(fish_folders), x=scaled(pixels), labels=labels, classes=classes)


@pytest.fixture(scope="module")
def sequentials(fish_folders):
    """A CNN and a dense network on 32-pixel fish, exported in every format."""
    cells = ["""
        let train = ImageFolder("fish-32/train", imageSize: 32)
        let test = ImageFolder("fish-32/test", imageSize: 32)
        var cnn = Sequential {
            Conv2D(3, 32, kernelSize: 3)
            BatchNorm(32)
            ReLU()
            MaxPool(2)
            Conv2D(32, 64, kernelSize: 3, stride: 2, padding: "valid")
            ReLU()
            Flatten()
            Dropout(0.2)
            Dense(3136, train.classes.count)
        }
        var mlp = Sequential {
            Flatten()
            Dense(3072, 64)
            BatchNorm(64)
            ReLU()
            Dropout(0.3)
            Dense(64, train.classes.count)
        }
        let cnnHistory = cnn.train(train, epochs: 15, batchSize: 16, learningRate: 0.003, seed: 1)
        let mlpHistory = mlp.train(train, epochs: 15, batchSize: 16, learningRate: 0.001, seed: 1)
        """]
    for name in ["cnn", "mlp"]:
        cells += [f"""
            print("{name.upper()}", {name}.probabilities(test))
            {name}.export("{name}.tflite")
            {name}.export("{name}.onnx")
            {name}.export("{name}-float16.tflite", quantization: "float16")
            {name}.export("{name}-int8.tflite", quantization: "int8", calibration: train, evaluateOn: test)
            """]
    out = shoal_exec(cells, str(fish_folders))
    pixels, labels, classes = load_pictures(os.path.join(fish_folders, "fish-32", "test"))
    return dict(out=out, dir=str(fish_folders), x=scaled(pixels), labels=labels, classes=classes)


def models():
    """(fixture, tag of Shoal's probabilities, file prefix) for every model checked."""
    return [("classifier", "FROZEN", "fish"), ("classifier", "TUNED", "tuned"), ("sequentials", "CNN", "cnn"),
            ("sequentials", "MLP", "mlp")]


@pytest.mark.parametrize("fixture,tag,prefix", models())
def test_onnx_passes_the_checker_and_matches_shoal(request, fixture, tag, prefix):
    run = request.getfixturevalue(fixture)
    path = os.path.join(run["dir"], prefix + ".onnx")
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    assert model.opset_import[0].version >= 17
    meta = {p.key: p.value for p in model.metadata_props}
    assert json.loads(meta["classes"]) == run["classes"]
    shoal = np.array(tagged(run["out"], tag), dtype=np.float32)
    got = ort(path, run["x"])
    assert got.shape == shoal.shape
    assert np.abs(got - shoal).max() <= 1e-4


@pytest.mark.parametrize("fixture,tag,prefix", models())
def test_tflite_float32_runs_builtin_ops_and_matches_shoal(request, fixture, tag, prefix):
    run = request.getfixturevalue(fixture)
    path = os.path.join(run["dir"], prefix + ".tflite")
    assert op_names(path) <= BUILTIN_OPS
    interpreter = Interpreter(model_path=path)
    interpreter.allocate_tensors()
    inp = interpreter.get_input_details()[0]
    assert inp["dtype"] == np.float32 and list(inp["shape"]) == [1] + list(run["x"].shape[1:])
    shoal = np.array(tagged(run["out"], tag), dtype=np.float32)
    assert np.abs(litert(path, run["x"]) - shoal).max() <= 1e-4


@pytest.mark.parametrize("prefix", ["fish", "fish-int8", "cnn"])
def test_labels_and_preprocessing_are_read_back_from_the_file(request, prefix):
    run = request.getfixturevalue("sequentials" if prefix == "cnn" else "classifier")
    displayer = MetadataDisplayer.with_model_file(os.path.join(run["dir"], prefix + ".tflite"))
    assert displayer.get_packed_associated_file_list() == ["labels.txt"]
    assert displayer.get_associated_file_buffer("labels.txt").decode().split("\n")[:-1] == run["classes"]
    metadata = json.loads(displayer.get_metadata_json())
    image = metadata["subgraph_metadata"][0]["input_tensor_metadata"][0]
    assert image["content"]["content_properties_type"] == "ImageProperties"
    assert image["process_units"][0]["options"] == {"mean": [127.5], "std": [127.5]}
    output = metadata["subgraph_metadata"][0]["output_tensor_metadata"][0]
    assert output["associated_files"][0] == {"name": "labels.txt", "type": "TENSOR_AXIS_LABELS",
                                              "description": "Labels for the classes the model can recognize."}


@pytest.mark.parametrize("fixture,tag,prefix", [m for m in models() if m[2] != "tuned"])
def test_float16_agrees_with_shoal_on_nearly_every_picture(request, fixture, tag, prefix):
    run = request.getfixturevalue(fixture)
    path = os.path.join(run["dir"], prefix + "-float16.tflite")
    interpreter = Interpreter(model_path=path)
    assert np.float16 in {t["dtype"] for t in interpreter.get_tensor_details()}
    assert op_names(path) <= BUILTIN_OPS
    shoal = np.array(tagged(run["out"], tag))
    agreement = np.mean(np.argmax(litert(path, run["x"]), axis=1) == np.argmax(shoal, axis=1))
    assert len(shoal) >= 100 and agreement >= 0.99
    if prefix == "fish":  # weights are most of the file (small models are mostly names and metadata)
        assert os.path.getsize(path) < 0.55 * os.path.getsize(os.path.join(run["dir"], prefix + ".tflite"))


@pytest.mark.parametrize("fixture,tag,prefix", [m for m in models() if m[2] != "tuned"])
def test_int8_keeps_accuracy_within_three_points_at_a_third_of_the_size(request, fixture, tag, prefix):
    run = request.getfixturevalue(fixture)
    path = os.path.join(run["dir"], prefix + "-int8.tflite")
    assert op_names(path) <= BUILTIN_OPS
    weights = [t for t in Interpreter(model_path=path).get_tensor_details() if t["dtype"] == np.int8]
    assert weights, "no int8 tensors"
    float_accuracy = accuracy(np.array(tagged(run["out"], tag)), run["labels"])
    int8_accuracy = accuracy(litert(path, run["x"]), run["labels"])
    assert abs(int8_accuracy - float_accuracy) <= 0.03
    assert os.path.getsize(path) < 0.35 * os.path.getsize(os.path.join(run["dir"], prefix + ".tflite"))


def test_the_report_tells_the_int8_accuracy_litert_measures(classifier):
    reported, reported_float = tagged(classifier["out"], "INT8")
    measured = accuracy(litert(os.path.join(classifier["dir"], "fish-int8.tflite"), classifier["x"]), classifier["labels"])
    assert reported_float == pytest.approx(accuracy(np.array(tagged(classifier["out"], "FROZEN")), classifier["labels"]))
    assert abs(reported - measured) <= 0.02
    out = classifier["out"]
    assert "Exported fish-int8.tflite" in out
    assert "int8 weights and activations, calibrated on 90 pictures" in out


def test_uint8_input_and_output_take_raw_bytes(classifier):
    path = os.path.join(classifier["dir"], "fish-uint8.tflite")
    interpreter = Interpreter(model_path=path)
    inp, out = interpreter.get_input_details()[0], interpreter.get_output_details()[0]
    assert inp["dtype"] == np.uint8 and out["dtype"] == np.uint8
    float_accuracy = accuracy(np.array(tagged(classifier["out"], "FROZEN")), classifier["labels"])
    assert abs(accuracy(litert(path, classifier["x"]), classifier["labels"]) - float_accuracy) <= 0.03


def test_a_layer_tflite_cannot_express_is_refused_and_onnx_takes_it(tmp_path):
    """A model saved elsewhere with PyTorch-style padding (1 pixel around a stride-2 convolution)."""
    from safetensors.numpy import save_file
    rng = np.random.default_rng(0)
    spec = lambda kind, ints, strings={}: {"kind": kind, "ints": ints, "floats": {}, "strings": strings}
    architecture = [spec("Conv2D", {"inputs": 3, "outputs": 4, "kernel": 3, "stride": 2, "bias": 1}, {"padding": "1"}),
                    spec("Flatten", {}), spec("Dense", {"inputs": 64, "outputs": 2})]
    save_file({"0.weight": rng.normal(size=(3, 3, 3, 4)).astype(np.float32), "0.bias": np.zeros(4, np.float32),
               "2.weight": rng.normal(size=(64, 2)).astype(np.float32), "2.bias": np.zeros(2, np.float32)},
              str(tmp_path / "padded.safetensors"),
              metadata={"format": "shoal-model-1", "architecture": json.dumps(architecture), "inputShape": "[8, 8, 3]",
                        "classNames": json.dumps(["cod", "eel"])})
    out = shoal_exec(['let padded = loadModel("padded.safetensors")', 'padded.export("padded.onnx")',
                      'padded.export("padded.tflite")'], str(tmp_path), expect_error=True)
    assert "ValueError: a 3×3 convolution padded by 1 pixel on every side cannot be written to a TFLite file" in out
    assert sorted(os.listdir(tmp_path)) == ["cells.swift", "padded.onnx", "padded.safetensors"]
    onnx.checker.check_model(onnx.load(str(tmp_path / "padded.onnx")), full_check=True)
