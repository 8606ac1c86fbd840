#!/usr/bin/env bash
# The installed package, as a user outside the build tree has it: installs
# qc from BUILD into a fresh prefix, then moves the prefix elsewhere (so
# nothing can lean on the install path or the build tree) and checks that
# * no installed ELF file has a RUNPATH into the build tree and none misses
#   a library (ldd);
# * the installed qc-opt and qc-import run; qc-opt's qc-cpu-pipeline output
#   on examples/linear.mlir equals the build tree's;
# * examples/standalone (find_package(QC), QC::QCInitAll) builds against it
#   and its tool prints the same;
# * examples/capi, a C program with only find_package(QC) and QC::QCCAPI,
#   builds and runs;
# * the wheel installs into a fresh virtual environment, where `import qc`
#   JIT-runs a layer.
#
#   standalone.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
src=$2
work="$build/package-test"
rm -rf "$work"
mkdir -p "$work"
cmake --install "$build" --prefix "$work/installed" > "$work/install.log"
mv "$work/installed" "$work/prefix"
test -f "$work/prefix/lib/cmake/qc/QCConfig.cmake"
test -f "$work/prefix/include/qc/Dialect/QC/IR/QCOps.h.inc"
test -f "$work/prefix/lib/libQCNumerics.a"
test -x "$work/prefix/bin/qc-opt"
test -f "$work/prefix/include/qc-c/QC.h"
test -f "$work/prefix/lib/libQCCAPI.so"
test -x "$work/prefix/bin/qc-import"
# No RUNPATH into the build tree or the first install path; every library
# found.
for f in $(find "$work/prefix" -type f \( -name '*.so*' -o -path '*/bin/*' \)); do
  head -c 4 "$f" | grep -q ELF || continue
  if readelf -d "$f" | grep -E 'RPATH|RUNPATH' | grep -qE "$build|$work/installed"; then
    echo "package: $f has a RUNPATH into the build tree:" >&2
    readelf -d "$f" | grep -E 'RPATH|RUNPATH' >&2
    exit 1
  fi
  if ldd "$f" | grep -q "not found"; then
    echo "package: $f misses libraries:" >&2
    ldd "$f" | grep "not found" >&2
    exit 1
  fi
done
"$work/prefix/bin/qc-import" --help | grep -q "qc-import"
cmake -G Ninja -S "$src/examples/standalone" -B "$work/consumer" \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release \
  > "$work/configure.log"
grep -q "Using QCConfig.cmake in: $work/prefix/lib/cmake/qc" "$work/configure.log"
ninja -C "$work/consumer" -j2 > "$work/build.log"
libs=/usr/lib/llvm-22/lib
run() {
  "$1" "$src/examples/linear.mlir" --qc-cpu-pipeline |
    /usr/lib/llvm-22/bin/mlir-runner -e main -entry-point-result=void \
      -shared-libs=$libs/libmlir_runner_utils.so,$libs/libmlir_c_runner_utils.so,$libs/libomp.so |
    grep -v "Unranked Memref"
}
run "$work/consumer/qc-standalone-opt" > "$work/consumer.out"
run "$build/bin/qc-opt" > "$work/qc-opt.out"
run "$work/prefix/bin/qc-opt" > "$work/installed-qc-opt.out"
test -s "$work/consumer.out"
diff "$work/consumer.out" "$work/qc-opt.out"
diff "$work/installed-qc-opt.out" "$work/qc-opt.out"
# A C program against QC::QCCAPI, with find_package(QC) alone.
cmake -G Ninja -S "$src/examples/capi" -B "$work/capi" \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release \
  > "$work/capi-configure.log"
ninja -C "$work/capi" > "$work/capi-build.log"
"$work/capi/qc-capi-example" | grep -q "qc-capi-example: ok"
# The installed Python package: the wheel, into a fresh virtual environment
# (numpy from the package index, or pip's cache), then `import qc` there.
if [ -d "$work/prefix/python_packages/qc" ] && [ -x "$src/.venv/bin/python" ]; then
  wheel=$(ls "$work/prefix/python_packages"/qc-*.whl)
  base=$("$src/.venv/bin/python" -c 'import sys; print(sys._base_executable)')
  "$base" -m venv "$work/venv"
  "$work/venv/bin/pip" install -q "$wheel" > "$work/pip.log" 2>&1 ||
    { cat "$work/pip.log" >&2; exit 1; }
  (cd "$work" && "$work/venv/bin/python" -c '
import numpy as np, qc
assert qc.__file__.startswith("'"$work/venv"'"), qc.__file__
ctx = qc.Context()
m = qc.Module.create(ctx)
m.add_linear("f", qc.Type.parse(ctx, "tensor<2x3xf32>"), weights=np.eye(2, 3, dtype=np.float32))
y = qc.compile(m, "qc-cpu-pipeline").f(np.arange(6, dtype=np.float32).reshape(2, 3))
assert (y == np.array([[0, 1], [3, 4]], np.float32)).all(), y
print("package: the wheel, installed in a fresh venv, JIT-runs a layer")
')
fi
echo "package: installed, moved to $work/prefix and run from there: qc-opt, qc-import, examples/standalone and examples/capi; outputs equal the build tree's"
