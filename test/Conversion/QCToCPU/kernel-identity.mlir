// A kernel is found by its typed spec (the qc.kernel_spec attribute on the
// kernel function), never by its name: two weights of one shape, group
// and scale type in different formats get two kernels, even where the
// human-readable names would be the same; equal specs share one kernel.
// RUN: qc-opt %s --split-input-file --qc-quantize-constants \
// RUN:   --convert-qc-to-cpu="target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,f16c" \
// RUN:   | FileCheck %s

// NF4 and a 16-entry codebook: both decode through a float table.
// CHECK-LABEL: func.func @nf4_and_codebook(
// CHECK: qc.kernel_call @[[NF4:qc_cpu_w4_ftab_n64_k128_g64_f16[_0-9]*]] ins
// CHECK: qc.kernel_call @[[CB:qc_cpu_w4_ftab_n64_k128_g64_f16[_0-9]*]] ins
// CHECK: qc.kernel_call @[[NF4]] ins
// CHECK-DAG: func.func private @[[NF4]]({{.*}} attributes {llvm.linkage = #llvm.linkage<internal>, qc.kernel_spec = {{{.*}}float_table = array<f32: -1.000000e+00, -0.6961928,
// CHECK-DAG: func.func private @[[CB]]({{.*}} attributes {llvm.linkage = #llvm.linkage<internal>, qc.kernel_spec = {{{.*}}float_table = array<f32: -1.000000e+00, -0.899999976,
func.func @nf4_and_codebook(%x: tensor<?x128xf32>) -> (tensor<?x64xf32>, tensor<?x64xf32>, tensor<?x64xf32>) {
  %w = arith.constant dense<0.5> : tensor<64x128xf32>
  %a = qc.quantize %w : tensor<64x128xf32> -> !qc.qtensor<64x128, #qc.nf4, f16 #qc.per_block<[1, 64]>>
  %b = qc.quantize %w : tensor<64x128xf32> -> !qc.qtensor<64x128, #qc.codebook<[-1.0, -0.9, -0.8, -0.7, -0.6, -0.5, -0.4, -0.3, 0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.9, 1.0]>, f16 #qc.per_block<[1, 64]>>
  %w2 = arith.constant dense<0.25> : tensor<64x128xf32>
  %c = qc.quantize %w2 : tensor<64x128xf32> -> !qc.qtensor<64x128, #qc.nf4, f16 #qc.per_block<[1, 64]>>
  %0 = qc.matmul %x, %a : tensor<?x128xf32>, !qc.qtensor<64x128, #qc.nf4, f16 #qc.per_block<[1, 64]>> -> tensor<?x64xf32>
  %1 = qc.matmul %x, %b : tensor<?x128xf32>, !qc.qtensor<64x128, #qc.codebook<[-1.0, -0.9, -0.8, -0.7, -0.6, -0.5, -0.4, -0.3, 0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.9, 1.0]>, f16 #qc.per_block<[1, 64]>> -> tensor<?x64xf32>
  %2 = qc.matmul %x, %c : tensor<?x128xf32>, !qc.qtensor<64x128, #qc.nf4, f16 #qc.per_block<[1, 64]>> -> tensor<?x64xf32>
  return %0, %1, %2 : tensor<?x64xf32>, tensor<?x64xf32>, tensor<?x64xf32>
}

// -----

// int8 weights and activations where the narrow range is on the weights in
// one matmul and on the activations in the other: the kernels put the sign
// trick on different operands, so they differ, though their names once did
// not.
// CHECK-LABEL: func.func @narrow(
// CHECK: qc.kernel_call @[[A:qc_cpu_w8a8_[_a-z0-9]*]] ins
// CHECK: qc.kernel_call @[[B:qc_cpu_w8a8_[_a-z0-9]*]] ins
// CHECK-DAG: func.func private @[[A]]({{.*}}activations_narrow = false{{.*}}weights_narrow = true
// CHECK-DAG: func.func private @[[B]]({{.*}}activations_narrow = true{{.*}}weights_narrow = false
func.func @narrow(%x: tensor<?x64xf32>) -> (tensor<?x32xf32>, tensor<?x32xf32>) {
  %w = arith.constant dense<0.5> : tensor<32x64xf32>
  %a = qc.quantize %w : tensor<32x64xf32> -> !qc.qtensor<32x64, #qc.int<s8, narrow>, f32 #qc.per_axis<0>>
  %b = qc.quantize %w : tensor<32x64xf32> -> !qc.qtensor<32x64, #qc.int<s8>, f32 #qc.per_axis<0>>
  %qa = qc.quantize %x : tensor<?x64xf32> -> !qc.qtensor<?x64, #qc.int<s8>, f32 #qc.per_axis<0>>
  %qb = qc.quantize %x : tensor<?x64xf32> -> !qc.qtensor<?x64, #qc.int<s8, narrow>, f32 #qc.per_axis<0>>
  %0 = qc.matmul %qa, %a : !qc.qtensor<?x64, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<32x64, #qc.int<s8, narrow>, f32 #qc.per_axis<0>> -> tensor<?x32xf32>
  %1 = qc.matmul %qb, %b : !qc.qtensor<?x64, #qc.int<s8, narrow>, f32 #qc.per_axis<0>>, !qc.qtensor<32x64, #qc.int<s8>, f32 #qc.per_axis<0>> -> tensor<?x32xf32>
  return %0, %1 : tensor<?x32xf32>, tensor<?x32xf32>
}
