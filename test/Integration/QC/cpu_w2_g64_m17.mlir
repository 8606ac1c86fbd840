// Runs the 'cpu_w2_g64_m17' case of qcref.py (constant low-bit weights, packed at compile
// time) through the CPU pipeline, whose vectorized kernel reads the packed
// bytes, and through the reference pipeline; both must match the numpy
// float64 reference.
// REQUIRES: avx2
// RUN: %python %S/qcref.py gen cpu_w2_g64_m17 > %t.mlir
// RUN: qc-opt %t.mlir --qc-cpu-pipeline | %mlir-run > %t.cpu
// RUN: %python %S/qcref.py check cpu_w2_g64_m17 %t.cpu
// RUN: qc-opt %t.mlir --qc-reference-pipeline | %mlir-run > %t.ref
// RUN: %python %S/qcref.py check cpu_w2_g64_m17 %t.ref
// The reference lowering reads the kernel's tiled layout too:
// RUN: qc-opt %t.mlir --qc-quantize-constants --qc-cpu-repack-weights | qc-opt --qc-reference-pipeline | %mlir-run > %t.tiled
// RUN: %python %S/qcref.py check cpu_w2_g64_m17 %t.tiled
// The tiled kernel was used:
// RUN: qc-opt %t.mlir --qc-quantize-constants --qc-cpu-repack-weights --convert-qc-to-cpu | FileCheck %s
// CHECK: call @qc_cpu_w2_int_
// CHECK-SAME: _tiled ins(
// CHECK-NOT: qc.matmul
