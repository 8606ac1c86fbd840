#!/usr/bin/env bash
# Sets up the machine, builds qc and runs it on the bundled example: a small
# float Linear layer whose weight is quantized to int4 in groups of 8.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
echo "== qc-opt examples/linear.mlir --canonicalize --cse"
./build/bin/qc-opt examples/linear.mlir --canonicalize --cse
