// Runs the 'cpu_w8a8_rl_m3' case of qcref.py (int8 weights per channel, int8 activations in blocks of 64, N = 16) through the CPU
// pipeline and the reference pipeline; both must match the numpy float64
// reference. On a VNNI host the constant weight is repacked into the
// row-lane tile and read by the row-lane kernel; the other instruction sets
// read their own tiles.
// REQUIRES: vnni
// RUN: %python %S/qcref.py gen cpu_w8a8_rl_m3 > %t.mlir
// RUN: qc-opt %t.mlir --qc-cpu-pipeline | %mlir-run > %t.cpu
// RUN: %python %S/qcref.py check cpu_w8a8_rl_m3 %t.cpu
// RUN: qc-opt %t.mlir --qc-cpu-pipeline="target-features=host,-avx512vnni" | %mlir-run > %t.ymm
// RUN: %python %S/qcref.py check cpu_w8a8_rl_m3 %t.ymm
// RUN: qc-opt %t.mlir --qc-cpu-pipeline="target-features=host,-avx512vnni,-avxvnni" | %mlir-run > %t.avx2
// RUN: %python %S/qcref.py check cpu_w8a8_rl_m3 %t.avx2
// RUN: qc-opt %t.mlir --qc-reference-pipeline | %mlir-run > %t.ref
// RUN: %python %S/qcref.py check cpu_w8a8_rl_m3 %t.ref
// The kernel was used:
// RUN: qc-opt %t.mlir --qc-quantize-constants --qc-cpu-repack-weights --convert-qc-to-cpu | FileCheck %s
// CHECK: call @qc_cpu_w8a8_
// CHECK-NOT: qc.matmul
