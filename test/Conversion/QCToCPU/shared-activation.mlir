// Three matmuls reading the same activation in the same int8 format (as
// attention's q, k and v projections do) quantize it once: the quantization
// kernel calls on equal tensors are pure and CSE (in qc-cpu-pipeline's
// bufferization prologue) merges them. A fourth matmul wants another block
// size: its own quantization.
// RUN: qc-opt %s --qc-cpu-pipeline="target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni" \
// RUN:   | FileCheck %s

// CHECK-LABEL: llvm.func @qkv(
// CHECK: llvm.call @qc_cpu_quantize_s8_k256_g32(
// CHECK-NOT: llvm.call @qc_cpu_quantize_s8_k256_g32(
// CHECK: llvm.call @qc_cpu_quantize_s8_k256_g64(
// CHECK-NOT: llvm.call @qc_cpu_quantize_
// CHECK: llvm.return

!a = !qc.qtensor<?x256, #qc.int<s8>, f32 #qc.per_block<[1, 32]>>
!a64 = !qc.qtensor<?x256, #qc.int<s8>, f32 #qc.per_block<[1, 64]>>
!w = !qc.qtensor<64x256, #qc.int<s4>, f16 #qc.per_block<[1, 32]>>
!w64 = !qc.qtensor<64x256, #qc.int<s4>, f16 #qc.per_block<[1, 64]>>

func.func @qkv(%x: tensor<?x256xf32>, %b0: tensor<8192xi8>, %b1: tensor<8192xi8>,
               %b2: tensor<8192xi8>, %b3: tensor<8192xi8>, %s: tensor<64x8xf16>,
               %s64: tensor<64x4xf16>)
    -> (tensor<?x64xf32>, tensor<?x64xf32>, tensor<?x64xf32>, tensor<?x64xf32>) {
  %q0 = qc.quantize %x : tensor<?x256xf32> -> !a
  %w0 = qc.assemble packed %b0, %s : !w
  %y0 = qc.matmul %q0, %w0 : !a, !w -> tensor<?x64xf32>
  %q1 = qc.quantize %x : tensor<?x256xf32> -> !a
  %w1 = qc.assemble packed %b1, %s : !w
  %y1 = qc.matmul %q1, %w1 : !a, !w -> tensor<?x64xf32>
  %q2 = qc.quantize %x : tensor<?x256xf32> -> !a
  %w2 = qc.assemble packed %b2, %s : !w
  %y2 = qc.matmul %q2, %w2 : !a, !w -> tensor<?x64xf32>
  %q3 = qc.quantize %x : tensor<?x256xf32> -> !a64
  %w3 = qc.assemble packed %b3, %s64 : !w64
  %y3 = qc.matmul %q3, %w3 : !a64, !w64 -> tensor<?x64xf32>
  return %y0, %y1, %y2, %y3 : tensor<?x64xf32>, tensor<?x64xf32>, tensor<?x64xf32>, tensor<?x64xf32>
}
