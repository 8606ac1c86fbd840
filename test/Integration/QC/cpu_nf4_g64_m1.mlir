// Runs the 'cpu_nf4_g64_m1' case of qcref.py (constant low-bit weights, packed at compile
// time) through the CPU pipeline, whose vectorized kernel reads the packed
// bytes, and through the reference pipeline; both must match the numpy
// float64 reference.
// REQUIRES: avx2
// RUN: %python %S/qcref.py gen cpu_nf4_g64_m1 > %t.mlir
// RUN: qc-opt %t.mlir --qc-cpu-pipeline | %mlir-run > %t.cpu
// RUN: %python %S/qcref.py check cpu_nf4_g64_m1 %t.cpu
// The float table decodes with one 16-entry vpermps zmm on an AVX-512
// host (the default) and with two 8-entry ones on AVX2:
// RUN: qc-opt %t.mlir --qc-cpu-pipeline="target-features=host,-avx512f" | %mlir-run > %t.avx2
// RUN: %python %S/qcref.py check cpu_nf4_g64_m1 %t.avx2
// RUN: qc-opt %t.mlir --qc-reference-pipeline | %mlir-run > %t.ref
// RUN: %python %S/qcref.py check cpu_nf4_g64_m1 %t.ref
// The reference lowering reads the kernel's tiled layout too:
// RUN: qc-opt %t.mlir --qc-quantize-constants --qc-cpu-repack-weights | qc-opt --qc-reference-pipeline | %mlir-run > %t.tiled
// RUN: %python %S/qcref.py check cpu_nf4_g64_m1 %t.tiled
// The tiled kernel was used:
// RUN: qc-opt %t.mlir --qc-quantize-constants --qc-cpu-repack-weights --convert-qc-to-cpu | FileCheck %s
// CHECK: call @qc_cpu_w4_ftab_
// CHECK-SAME: _tiled ins(
// CHECK-NOT: qc.matmul
