// Runs the 'cpu_u8a8_zp_m3' case of qcref.py (unsigned 8-bit weight codes with i16 zero points) through the
// CPU pipeline and the reference pipeline; both must match the numpy
// float64 reference. Only VNNI targets have a kernel for the 8-bit cases
// (vpdpbusd does not saturate; AVX2's vpmaddubsw needs a narrow operand).
// REQUIRES: vnni
// RUN: %python %S/qcref.py gen cpu_u8a8_zp_m3 > %t.mlir
// RUN: qc-opt %t.mlir --qc-cpu-pipeline | %mlir-run > %t.cpu
// RUN: %python %S/qcref.py check cpu_u8a8_zp_m3 %t.cpu
// RUN: qc-opt %t.mlir --qc-cpu-pipeline="target-features=host,-avx512vnni" | %mlir-run > %t.ymm
// RUN: %python %S/qcref.py check cpu_u8a8_zp_m3 %t.ymm
// RUN: qc-opt %t.mlir --qc-cpu-pipeline="target-features=host,-avx512vnni,-avxvnni" | %mlir-run > %t.avx2
// RUN: %python %S/qcref.py check cpu_u8a8_zp_m3 %t.avx2
// RUN: qc-opt %t.mlir --qc-reference-pipeline | %mlir-run > %t.ref
// RUN: %python %S/qcref.py check cpu_u8a8_zp_m3 %t.ref
// The kernel was used:
// RUN: qc-opt %t.mlir --qc-quantize-constants --convert-qc-to-cpu | FileCheck %s
// CHECK: call @qc_cpu_w8a8_
// CHECK-NOT: qc.matmul
