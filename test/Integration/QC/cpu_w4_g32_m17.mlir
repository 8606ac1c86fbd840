// Runs the 'cpu_w4_g32_m17' case of qcref.py (constant int4 weights, packed at compile
// time) through the CPU pipeline, whose vectorized kernel reads the packed
// bytes, and through the reference pipeline; both must match the numpy
// float64 reference.
// REQUIRES: avx2
// RUN: %python %S/qcref.py gen cpu_w4_g32_m17 > %t.mlir
// RUN: qc-opt %t.mlir --qc-cpu-pipeline | %mlir-run > %t.cpu
// RUN: %python %S/qcref.py check cpu_w4_g32_m17 %t.cpu
// RUN: qc-opt %t.mlir --qc-reference-pipeline | %mlir-run > %t.ref
// RUN: %python %S/qcref.py check cpu_w4_g32_m17 %t.ref
// The kernel was used:
// RUN: qc-opt %t.mlir --qc-quantize-constants --convert-qc-to-cpu | FileCheck %s
// CHECK: call @qc_cpu_w4_
// CHECK-NOT: qc.matmul
