#!/usr/bin/env bash
# Builds qc's libFuzzer target with clang and runs it.
#
#   bash scripts/fuzz.sh [SECONDS] [--asan] [-- LIBFUZZER_ARGS...]
#
# SECONDS (default 60) bounds the run. --asan adds AddressSanitizer (a
# separate build directory, build-fuzz-asan). The seed corpus is every
# '// -----' section of every lit test (made fresh each run in
# BUILD/fuzz/seeds) plus the saved crash regressions and GGUF seeds in
# test/Fuzz/regressions (a GGUF input runs through qc-import's reader;
# test/Fuzz/make_gguf_seeds.py writes the seeds);
# new interesting inputs go to BUILD/fuzz/corpus, and a crash, a hang or an
# out-of-memory input is written to BUILD/fuzz/artifacts and makes this
# script exit non-zero. Keep every crash as a regression test: copy it into
# test/Fuzz/regressions (qc-fuzz-replay runs them in the test suite).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60
asan=0
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --asan) asan=1 ;;
    --) shift; extra=("$@"); break ;;
    *) seconds="$1" ;;
  esac
  shift
done

build=build-fuzz
sanitizers=""
if [ "$asan" = 1 ]; then build=build-fuzz-asan; sanitizers=address; fi

if ! command -v clang++-22 > /dev/null; then
  echo "fuzz: clang++-22 is missing; run scripts/setup.sh" >&2
  exit 1
fi
if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S . -B "$build" \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DQC_ENABLE_UNITTESTS=OFF -DQC_ENABLE_PYTHON=OFF -DQC_ENABLE_FUZZER=ON \
    -DQC_FUZZ_SANITIZERS="$sanitizers" > "$build.configure.log"
fi
ninja -C "$build" -j2 qc-fuzz

seeds="$build/fuzz/seeds"
rm -rf "$seeds"
mkdir -p "$seeds" "$build/fuzz/corpus" "$build/fuzz/artifacts"
python3 - "$seeds" <<'PY'
import pathlib, sys
out = pathlib.Path(sys.argv[1])
n = 0
for path in sorted(pathlib.Path("test").rglob("*.mlir")):
    for i, section in enumerate(path.read_text().split("// -----")):
        (out / f"{path.stem}-{n}-{i}.mlir").write_text(section)
    n += 1
PY
cp test/Fuzz/regressions/* "$seeds"/ 2>/dev/null || true

# ASan: libMLIR.so is not instrumented, but LLVM's headers poison and
# unpoison BumpPtrAllocator slabs when they are compiled with ASan, so a slab
# that qc's code poisoned and libMLIR's code allocated from reads as
# "use-after-poison" (a false positive seen in RotateOp::parse). Manual
# poisoning is ignored; every real heap error is still reported.
if [ "$asan" = 1 ]; then
  export ASAN_OPTIONS="allow_user_poisoning=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
fi

# -rss_limit_mb: qc reads at most 2^28 elements of a constant at compile
# time (1 GiB as f32); more memory than this is a bug.
exec "$build/bin/qc-fuzz" "$build/fuzz/corpus" "$seeds" \
  -dict=tools/qc-fuzz/qc.dict -max_total_time="$seconds" \
  -max_len=65536 -timeout=30 -rss_limit_mb=6144 \
  -artifact_prefix="$build/fuzz/artifacts/" -print_final_stats=1 \
  ${extra[@]+"${extra[@]}"}
