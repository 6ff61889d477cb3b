# Shoal — the two commands a fresh machine needs: `make lab` and `make test`.
# Every target installs what is missing first; nothing is installed by hand.

SWIFT        ?= swift
PYTHON       ?= python3
# Debian packages the build needs (checked with dpkg, installed with apt-get).
APT_PACKAGES ?= libzmq3-dev
SHOAL        := .build/debug/shoal
VENV         := .venv
VPY          := $(VENV)/bin/python

.PHONY: all deps build test test-swift test-kernel bench lab clean

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

test-swift:
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

bench: build
	$(PYTHON) benchmarks/interpreter.py

lab: build
	@echo "make lab: the Jupyter kernel is not built yet (issue 3); try 'shoal exec FILE.swift --cells'."
	@exit 1

clean:
	rm -rf .build .build-*
