#!/usr/bin/env bash
# Sets up the machine, builds qc and runs the whole test suite: the lit
# tests (one CTest entry), every GoogleTest case, and the check that the
# generated dialect reference in docs/ is up to date; then a bounded fuzzing
# run (60 s, fixed seed, scripts/fuzz.sh) from the lit corpus and the saved
# crashes. QC_FUZZ_SECONDS=0 skips the fuzzing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
(cd build && ctest --output-on-failure -j 2)
seconds="${QC_FUZZ_SECONDS:-60}"
if [ "$seconds" != 0 ]; then
  bash scripts/fuzz.sh "$seconds" -- -seed=1
fi
