// Runs the 'cpu_w4a8_axis_m64' case of qcref.py (constant low-bit weights, packed at compile
// time, int8 activations quantized at run time) through the CPU pipeline,
// whose integer kernel reads the packed
// bytes, and through the reference pipeline; both must match the numpy
// float64 reference.
// REQUIRES: avx2
// RUN: %python %S/qcref.py gen cpu_w4a8_axis_m64 > %t.mlir
// RUN: qc-opt %t.mlir --qc-cpu-pipeline | %mlir-run > %t.cpu
// RUN: %python %S/qcref.py check cpu_w4a8_axis_m64 %t.cpu
// The same on each instruction set the host has: vpdpbusd on zmm (the
// default where the host has AVX512-VNNI), on ymm (AVX-VNNI), vpmaddubsw
// (AVX2); a host without one of them runs the next.
// RUN: qc-opt %t.mlir --qc-cpu-pipeline="target-features=host,-avx512vnni" | %mlir-run > %t.ymm
// RUN: %python %S/qcref.py check cpu_w4a8_axis_m64 %t.ymm
// RUN: qc-opt %t.mlir --qc-cpu-pipeline="target-features=host,-avx512vnni,-avxvnni" | %mlir-run > %t.avx2
// RUN: %python %S/qcref.py check cpu_w4a8_axis_m64 %t.avx2
// RUN: qc-opt %t.mlir --qc-reference-pipeline | %mlir-run > %t.ref
// RUN: %python %S/qcref.py check cpu_w4a8_axis_m64 %t.ref
// The reference lowering reads the kernel's tiled layout too:
// RUN: qc-opt %t.mlir --qc-quantize-constants --qc-cpu-repack-weights | qc-opt --qc-reference-pipeline | %mlir-run > %t.tiled
// RUN: %python %S/qcref.py check cpu_w4a8_axis_m64 %t.tiled
// The tiled kernel was used (the row-lane one on a VNNI host):
// RUN: qc-opt %t.mlir --qc-quantize-constants --qc-cpu-repack-weights --convert-qc-to-cpu | FileCheck %s
// CHECK: call @qc_cpu_w4a8_
// CHECK-SAME: {{_tiled|_rowlanes}} ins(
// CHECK-NOT: qc.matmul
