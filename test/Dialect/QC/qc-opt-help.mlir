// qc-opt --help lists its own options (MLIR's driver options, the passes
// and pipelines) and leaves LLVM's back-end tuning flags to --help-hidden.
// RUN: qc-opt --help | FileCheck %s
// RUN: qc-opt --help | FileCheck %s --check-prefix=NOLLVM
// RUN: qc-opt --help-hidden | FileCheck %s --check-prefix=HIDDEN
// CHECK-DAG: --split-input-file
// CHECK-DAG: --qc-cpu-pipeline
// NOLLVM-NOT: --amdgpu-bypass-slow-div
// NOLLVM-NOT: --x86-asm-syntax
// HIDDEN: --amdgpu-bypass-slow-div
