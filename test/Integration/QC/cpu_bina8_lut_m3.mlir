// Runs the 'cpu_bina8_lut_m3' case of qcref.py (#qc.binary weights {-1, +1},
// f32 scales per row, int8 activations per row, N = 64: two 16-row tiles
// per step) through the CPU pipeline and the
// reference pipeline; both must match the numpy float64 reference. On an
// AVX-512 VBMI host the constant weight is repacked into the LUT kernel's
// tiled plane; without VBMI the LUT kernel's AVX2 form (vpshufb) reads
// its 2-byte chunks.
// REQUIRES: avx2
// RUN: %python %S/qcref.py gen cpu_bina8_lut_m3 > %t.mlir
// RUN: qc-opt %t.mlir --qc-cpu-pipeline | %mlir-run > %t.cpu
// RUN: %python %S/qcref.py check cpu_bina8_lut_m3 %t.cpu
// RUN: qc-opt %t.mlir --qc-cpu-pipeline="target-features=host,-avx512vbmi" | %mlir-run > %t.novbmi
// RUN: %python %S/qcref.py check cpu_bina8_lut_m3 %t.novbmi
// RUN: qc-opt %t.mlir --qc-reference-pipeline | %mlir-run > %t.ref
// RUN: %python %S/qcref.py check cpu_bina8_lut_m3 %t.ref
// The reference lowering reads the tiled plane too:
// RUN: qc-opt %t.mlir --qc-quantize-constants --qc-cpu-repack-weights="target-features=avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni,avx512vbmi" | qc-opt --qc-reference-pipeline | %mlir-run > %t.planes
// RUN: %python %S/qcref.py check cpu_bina8_lut_m3 %t.planes
// The kernel is chosen on such a target (whatever the host):
// RUN: qc-opt %t.mlir --qc-quantize-constants --qc-cpu-repack-weights="target-features=avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni,avx512vbmi" --convert-qc-to-cpu="target-features=avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni,avx512vbmi" | FileCheck %s
// K = 256 and one scale per row: the kernel's 4-byte chunks (16 rows x 32
// codes per 64-byte load; the AVX2 form reads 2-byte ones).
// CHECK: layout #qc.tiled<rows = 16, chunk_bytes = 4>
// CHECK: call @qc_cpu_w1a8_lut_{{.*}}_bin_{{.*}}_c4
// CHECK-NOT: qc.matmul
