// The weight-only form of rearrange_tail_w4a8.mlir: f32 activations, so the
// CPU kernels of both parts read slices of the activation (strided views).
// REQUIRES: avx2
// RUN: %python %S/qcref.py gen rearrange_tail_w4 > %t.mlir
// RUN: qc-opt %t.mlir --qc-reference-pipeline | %mlir-run > %t.plain
// RUN: %python %S/qcref.py check rearrange_tail_w4_plain %t.plain
// RUN: qc-opt %t.mlir --qc-rearrange-outliers=tail=32 --qc-reference-pipeline | %mlir-run > %t.ref
// RUN: %python %S/qcref.py check rearrange_tail_w4 %t.ref
// RUN: %python %S/qcref.py gain rearrange_tail_w4 %t.plain %t.ref 3
// RUN: qc-opt %t.mlir --qc-rearrange-outliers=tail=32 --qc-cpu-pipeline=remarks -o %t.cpu.mlir 2>&1 | FileCheck %s
// RUN: %mlir-run < %t.cpu.mlir > %t.cpu
// RUN: %python %S/qcref.py check rearrange_tail_w4 %t.cpu
// CHECK: 2 kernel(s) emitted (qc_cpu_w8_int_n16_k32_g32_f32_tiled, qc_cpu_w4_int_n16_k224_g32_f32_tiled); 1 matmul(s) and 0 rotation(s) left
