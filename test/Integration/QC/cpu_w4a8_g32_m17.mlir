// Runs the 'cpu_w4a8_g32_m17' case of qcref.py (llama.cpp's Q4_0 x Q8_0: int4 weights and int8 activations in blocks of 32) through the
// CPU pipeline and the reference pipeline; both must match the numpy
// float64 reference. Only VNNI targets have a kernel for the 8-bit cases
// (vpdpbusd does not saturate; AVX2's vpmaddubsw needs a narrow operand).
// REQUIRES: vnni
// RUN: %python %S/qcref.py gen cpu_w4a8_g32_m17 > %t.mlir
// RUN: qc-opt %t.mlir --qc-cpu-pipeline | %mlir-run > %t.cpu
// RUN: %python %S/qcref.py check cpu_w4a8_g32_m17 %t.cpu
// RUN: qc-opt %t.mlir --qc-cpu-pipeline="target-features=host,-avx512vnni" | %mlir-run > %t.ymm
// RUN: %python %S/qcref.py check cpu_w4a8_g32_m17 %t.ymm
// RUN: qc-opt %t.mlir --qc-cpu-pipeline="target-features=host,-avx512vnni,-avxvnni" | %mlir-run > %t.avx2
// RUN: %python %S/qcref.py check cpu_w4a8_g32_m17 %t.avx2
// RUN: qc-opt %t.mlir --qc-reference-pipeline | %mlir-run > %t.ref
// RUN: %python %S/qcref.py check cpu_w4a8_g32_m17 %t.ref
// The kernel was used:
// RUN: qc-opt %t.mlir --qc-quantize-constants --convert-qc-to-cpu | FileCheck %s
// CHECK: call @qc_cpu_w4a8_
// CHECK-NOT: qc.matmul
