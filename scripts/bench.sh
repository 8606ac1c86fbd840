#!/usr/bin/env bash
# Builds qc and runs the kernel benchmark (arguments go to qc-bench, e.g.
# --m 1,8 --threads 1,2). See bench/qc-bench.cpp for what is measured.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
./build/bin/qc-bench "$@"
