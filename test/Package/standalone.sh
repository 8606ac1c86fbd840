#!/usr/bin/env bash
# The installed CMake package, as a separate project uses it: installs qc
# from BUILD into a fresh prefix, configures and builds examples/standalone
# against it (find_package(QC), QC::QCInitAll), and runs the consumer's tool
# with only qc's registrations: qc-cpu-pipeline on examples/linear.mlir must
# give the same printed result as qc-opt's.
#
#   standalone.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
src=$2
work="$build/package-test"
rm -rf "$work"
mkdir -p "$work"
cmake --install "$build" --prefix "$work/prefix" > "$work/install.log"
test -f "$work/prefix/lib/cmake/qc/QCConfig.cmake"
test -f "$work/prefix/include/qc/Dialect/QC/IR/QCOps.h.inc"
test -f "$work/prefix/lib/libQCNumerics.a"
test -x "$work/prefix/bin/qc-opt"
test -f "$work/prefix/include/qc-c/QC.h"
test -f "$work/prefix/lib/libQCCAPI.so"
test -x "$work/prefix/bin/qc-import"
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
test -s "$work/consumer.out"
diff "$work/consumer.out" "$work/qc-opt.out"
# The installed Python package, from the prefix alone (when it was built).
if [ -d "$work/prefix/python_packages/qc" ] && [ -x "$src/.venv/bin/python" ]; then
  (cd "$work" && PYTHONPATH="$work/prefix/python_packages" "$src/.venv/bin/python" -c '
import numpy as np, qc
assert qc.__file__.startswith("'"$work/prefix"'"), qc.__file__
ctx = qc.Context()
m = qc.Module.create(ctx)
m.add_linear("f", qc.Type.parse(ctx, "tensor<2x3xf32>"), weights=np.eye(2, 3, dtype=np.float32))
y = qc.compile(m, "qc-cpu-pipeline").f(np.arange(6, dtype=np.float32).reshape(2, 3))
assert (y == np.array([[0, 1], [3, 4]], np.float32)).all(), y
print("package: the installed Python package JIT-runs a layer")
')
fi
echo "package: examples/standalone built against $work/prefix; its qc-cpu-pipeline output equals qc-opt's"
