#!/usr/bin/env bash
# Builds qc and runs the benchmarks: the kernel benchmark (arguments go to
# qc-bench, e.g. --m 1,8 --threads 1,2; see bench/qc-bench.cpp) and the
# compile-time quantization timing (bench/quantize_constants.py).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
./build/bin/qc-bench "$@"
# Compile-time quantization of a 4096 x 4096 weight (issue 3: under 2 s).
# Debian's python3 has numpy (scripts/setup.sh).
/usr/bin/python3 bench/quantize_constants.py build/bin/qc-opt build/bench
# Bit allocation for a Llama-sized program (7 x 4096 x 4096 + 14336 x 4096,
# 4 candidates): qc-allocate-bits' pass time, by default and with AlphaQ.
/usr/bin/python3 bench/allocate_bits.py build/bin/qc-opt build/bench
.venv/bin/python bench/allocate_bits_limits.py build/bin/qc-opt build/bench
