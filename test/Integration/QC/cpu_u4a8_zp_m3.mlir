// Runs the 'cpu_u4a8_zp_m3' case of qcref.py (constant low-bit weights, packed at compile
// time, int8 activations quantized at run time) through the CPU pipeline,
// whose integer kernel reads the packed
// bytes, and through the reference pipeline; both must match the numpy
// float64 reference.
// REQUIRES: avx2
// RUN: %python %S/qcref.py gen cpu_u4a8_zp_m3 > %t.mlir
// RUN: qc-opt %t.mlir --qc-cpu-pipeline | %mlir-run > %t.cpu
// RUN: %python %S/qcref.py check cpu_u4a8_zp_m3 %t.cpu
// The same on each instruction set the host has: vpdpbusd on zmm (the
// default where the host has AVX512-VNNI), on ymm (AVX-VNNI), vpmaddubsw
// (AVX2); a host without one of them runs the next.
// RUN: qc-opt %t.mlir --qc-cpu-pipeline="target-features=host,-avx512vnni" | %mlir-run > %t.ymm
// RUN: %python %S/qcref.py check cpu_u4a8_zp_m3 %t.ymm
// RUN: qc-opt %t.mlir --qc-cpu-pipeline="target-features=host,-avx512vnni,-avxvnni" | %mlir-run > %t.avx2
// RUN: %python %S/qcref.py check cpu_u4a8_zp_m3 %t.avx2
// RUN: qc-opt %t.mlir --qc-reference-pipeline | %mlir-run > %t.ref
// RUN: %python %S/qcref.py check cpu_u4a8_zp_m3 %t.ref
// The kernel was used:
// RUN: qc-opt %t.mlir --qc-quantize-constants --convert-qc-to-cpu | FileCheck %s
// CHECK: call @qc_cpu_w4a8_
// CHECK-NOT: qc.matmul
