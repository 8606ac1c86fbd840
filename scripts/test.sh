#!/usr/bin/env bash
# Sets up the machine, builds qc and runs the whole test suite: the lit
# tests (one CTest entry), every GoogleTest case, and the check that the
# generated dialect reference in docs/ is up to date.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
cd build
ctest --output-on-failure -j 2
