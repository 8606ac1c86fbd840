#!/usr/bin/env bash
# Sets up the machine, builds qc and runs the bundled example: a float Linear
# layer whose weight is quantized to int4 in groups of 8, quantized at compile
# time, lowered through the reference pipeline and executed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
LIBS=/usr/lib/llvm-22/lib
echo "== qc-opt examples/linear.mlir --qc-quantize-constants"
./build/bin/qc-opt examples/linear.mlir --qc-quantize-constants
echo "== qc-opt examples/linear.mlir --qc-reference-pipeline | mlir-runner"
./build/bin/qc-opt examples/linear.mlir --qc-reference-pipeline \
  | /usr/lib/llvm-22/bin/mlir-runner -e main -entry-point-result=void \
      -shared-libs=$LIBS/libmlir_runner_utils.so,$LIBS/libmlir_c_runner_utils.so
