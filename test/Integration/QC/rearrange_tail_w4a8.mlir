// qc-rearrange-outliers on a quantized W4A8 Linear layer (qcref.py's
// 'rearrange_tail_w4a8': K = 256 channels with log-uniform scales, int4
// weights and int8 activations in groups of 32, the activation written by a
// float Linear layer exactly): the program before the pass, and after it
// (sorted; sorted with a tail of 32 channels in int8, as two matmuls), give
// the outputs of qcref.py's independent model of the rearranged, split and
// quantized layer, through the reference pipeline and through the CPU
// pipeline, where both parts run on the int8-dot kernels. Sorting lowers the
// output error against float64 1.8x, the tail 4.4x (thresholds 1.5, 3).
// REQUIRES: avx2
// RUN: %python %S/qcref.py gen rearrange_tail_w4a8 > %t.mlir
// RUN: qc-opt %t.mlir --qc-reference-pipeline | %mlir-run > %t.plain
// RUN: %python %S/qcref.py check rearrange_tail_w4a8_plain %t.plain
// RUN: qc-opt %t.mlir --qc-rearrange-outliers --qc-reference-pipeline | %mlir-run > %t.sorted
// RUN: %python %S/qcref.py gain rearrange_tail_w4a8 %t.plain %t.sorted 1.5
// RUN: qc-opt %t.mlir --qc-rearrange-outliers=tail=32 -o %t.tail.mlir
// RUN: qc-opt %t.tail.mlir --qc-reference-pipeline | %mlir-run > %t.ref
// RUN: %python %S/qcref.py check rearrange_tail_w4a8 %t.ref
// RUN: %python %S/qcref.py gain rearrange_tail_w4a8 %t.plain %t.ref 3
// RUN: qc-opt %t.tail.mlir --qc-cpu-pipeline=remarks -o %t.cpu.mlir 2>&1 | FileCheck %s --check-prefix=CPU
// RUN: %mlir-run < %t.cpu.mlir > %t.cpu
// RUN: %python %S/qcref.py check rearrange_tail_w4a8 %t.cpu
// RUN: FileCheck %s < %t.tail.mlir
// Both parts on kernels, with their activations' quantization (on a VNNI
// host the ymm row-lane ones: K = 32 and 224 are no multiples of a zmm's
// 64 codes); the one matmul left is the float layer writing %a.
// CPU: 4 kernel(s) emitted (qc_cpu_w8a8_n16_k32_g32_f32_ag32{{(_tiled|_vnni256_rowlanes_lo)}}, qc_cpu_w4a8_n16_k224_g32_f32_ag32{{(_tiled|_vnni256_rowlanes_lo_bias)}}, qc_cpu_quantize_s8_k32_g32, qc_cpu_quantize_s8_k224_g32); 1 matmul(s) and 0 rotation(s) left
// CHECK: %[[Y0:.*]] = qc.matmul %{{.*}}, %{{.*}} bias(%{{.*}}) : !qc.qtensor<?x224, #qc.int<s8>, f32 #qc.per_block<[1, 32]>>, !qc.qtensor<16x224, #qc.int<s4>, f32 #qc.per_block<[1, 32]>>
// CHECK: qc.matmul %{{.*}}, %{{.*}} accumulate(%[[Y0]] : tensor<?x16xf32>) : !qc.qtensor<?x32, #qc.int<s8>, f32 #qc.per_block<[1, 32]>>, !qc.qtensor<16x32, #qc.int<s8, narrow>, f32 #qc.per_block<[1, 32]>>
