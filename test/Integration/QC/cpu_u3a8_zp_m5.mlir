// Runs the 'cpu_u3a8_zp_m5' case of qcref.py (constant 3-bit weights, packed at
// compile time, int8 activations quantized at run time) through the CPU pipeline, whose kernel reads the codes
// as a 2-bit and a 1-bit plane, and through the reference pipeline; both
// must match the numpy float64 reference.
// REQUIRES: avx2
// RUN: %python %S/qcref.py gen cpu_u3a8_zp_m5 > %t.mlir
// RUN: qc-opt %t.mlir --qc-cpu-pipeline | %mlir-run > %t.cpu
// RUN: %python %S/qcref.py check cpu_u3a8_zp_m5 %t.cpu
// The same on each instruction set the host has: vpdpbusd on zmm (the
// default where the host has AVX512-VNNI), on ymm (AVX-VNNI), vpmaddubsw
// (AVX2); a host without one of them runs the next.
// RUN: qc-opt %t.mlir --qc-cpu-pipeline="target-features=host,-avx512vnni" | %mlir-run > %t.ymm
// RUN: %python %S/qcref.py check cpu_u3a8_zp_m5 %t.ymm
// RUN: qc-opt %t.mlir --qc-cpu-pipeline="target-features=host,-avx512vnni,-avxvnni" | %mlir-run > %t.avx2
// RUN: %python %S/qcref.py check cpu_u3a8_zp_m5 %t.avx2
// RUN: qc-opt %t.mlir --qc-reference-pipeline | %mlir-run > %t.ref
// RUN: %python %S/qcref.py check cpu_u3a8_zp_m5 %t.ref
// The reference lowering reads the bit planes too:
// RUN: qc-opt %t.mlir --qc-quantize-constants --qc-cpu-repack-weights | qc-opt --qc-reference-pipeline | %mlir-run > %t.planes
// RUN: %python %S/qcref.py check cpu_u3a8_zp_m5 %t.planes
// The repacked weight is in bit planes and the kernel was used:
// RUN: qc-opt %t.mlir --qc-quantize-constants --qc-cpu-repack-weights --convert-qc-to-cpu | FileCheck %s
// CHECK: layout #qc.bit_planes<[2, 1]>
// CHECK: call @qc_cpu_w3a8_
// CHECK-NOT: qc.matmul
