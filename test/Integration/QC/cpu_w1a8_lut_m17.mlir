// Runs the 'cpu_w1a8_lut_m17' case of qcref.py (1-bit unsigned weights
// {0, 1}, f16 scales per block of 16, int8 activations per row, K =
// 272: 17 groups of 16 codes, N = 48) through the CPU pipeline and the
// reference pipeline; both must match the numpy float64 reference. On an
// AVX-512 VBMI host the constant weight is repacked into the LUT kernel's
// tiled plane; without VBMI the LUT kernel's AVX2 form (vpshufb) reads
// the same plane.
// REQUIRES: avx2
// RUN: %python %S/qcref.py gen cpu_w1a8_lut_m17 > %t.mlir
// RUN: qc-opt %t.mlir --qc-cpu-pipeline | %mlir-run > %t.cpu
// RUN: %python %S/qcref.py check cpu_w1a8_lut_m17 %t.cpu
// RUN: qc-opt %t.mlir --qc-cpu-pipeline="target-features=host,-avx512vbmi" | %mlir-run > %t.novbmi
// RUN: %python %S/qcref.py check cpu_w1a8_lut_m17 %t.novbmi
// RUN: qc-opt %t.mlir --qc-reference-pipeline | %mlir-run > %t.ref
// RUN: %python %S/qcref.py check cpu_w1a8_lut_m17 %t.ref
// The reference lowering reads the tiled plane too:
// RUN: qc-opt %t.mlir --qc-quantize-constants --qc-cpu-repack-weights="target-features=avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni,avx512vbmi" | qc-opt --qc-reference-pipeline | %mlir-run > %t.planes
// RUN: %python %S/qcref.py check cpu_w1a8_lut_m17 %t.planes
// The kernel is chosen on such a target (whatever the host):
// RUN: qc-opt %t.mlir --qc-quantize-constants --qc-cpu-repack-weights="target-features=avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni,avx512vbmi" --convert-qc-to-cpu="target-features=avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni,avx512vbmi" | FileCheck %s
// K = 272 (not a multiple of 32): the 2-byte chunks, on VBMI too.
// CHECK: layout #qc.tiled<rows = 16, chunk_bytes = 2>
// CHECK: call @qc_cpu_w1a8_lut_{{.*}}_u_
// CHECK-NOT: qc.matmul
