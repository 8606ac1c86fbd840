#!/usr/bin/env bash
# Configures and builds qc in ./build (Release, Ninja, two jobs: the machines
# we build on have two cores and MLIR headers are heavy).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f build/build.ninja ]; then
  python_args=()
  # The Python package builds with the virtual environment setup.sh made.
  if [ -x .venv/bin/python ]; then
    python_args=(-DPython_EXECUTABLE="$PWD/.venv/bin/python")
  fi
  cmake -G Ninja -B build -DCMAKE_BUILD_TYPE=Release "${python_args[@]}"
fi
ninja -C build -j "${QC_BUILD_JOBS:-2}"
