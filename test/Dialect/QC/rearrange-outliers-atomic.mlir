// qc-rearrange-outliers decides every group (its permutation, its tail
// splits) and finds every error before it rewrites anything: when a later
// group cannot be split, the error is reported and the module is as it was,
// the first group included (its weights not permuted, its reader not
// split).
// RUN: not qc-opt %s --qc-rearrange-outliers="tail=2" --mlir-print-ir-after-failure 2>&1 | FileCheck %s

// CHECK: error: qc-rearrange-outliers: cannot split weight '!qc.qtensor<2x8, #qc.int<s4>, f32 #qc.per_block<[1, 4]>>' at the tail
// CHECK: IR Dump After RearrangeOutliers Failed
// CHECK-LABEL: func.func @first_group_fits(
// CHECK-NOT: tensor.extract_slice
// CHECK: arith.constant dense<{{\[}}[8.000000e+00, 1.000000e+00, 7.000000e+00, 2.000000e+00, 6.000000e+00, 3.000000e+00, 5.000000e+00, 4.000000e+00], [-8.000000e+00
// CHECK: qc.matmul %{{.*}}, %{{.*}} bias(%{{.*}} : tensor<2xf32>) : !qc.qtensor<?x8, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<2x8, #qc.int<u4>, f32 #qc.per_block<[1, 2]>, zero_point i8>
// CHECK-LABEL: func.func @second_group_fails(
func.func @first_group_fits(%x: tensor<?x8xf32>) -> tensor<?x2xf32> {
  %w1 = arith.constant dense<1.0> : tensor<8x8xf32>
  %w2 = arith.constant dense<[[8.0, 1.0, 7.0, 2.0, 6.0, 3.0, 5.0, 4.0], [-8.0, -1.0, -7.0, -2.0, -6.0, -3.0, -5.0, -4.0]]> : tensor<2x8xf32>
  %b2 = arith.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %h = qc.matmul %x, %w1 : tensor<?x8xf32>, tensor<8x8xf32> -> tensor<?x8xf32>
  %t = math.tanh %h : tensor<?x8xf32>
  %a = qc.quantize %t : tensor<?x8xf32> -> !qc.qtensor<?x8, #qc.int<s8>, f32 #qc.per_axis<0>>
  %q = qc.quantize %w2 method<minmax> : tensor<2x8xf32> -> !qc.qtensor<2x8, #qc.int<u4>, f32 #qc.per_block<[1, 2]>, zero_point i8>
  %y = qc.matmul %a, %q bias(%b2 : tensor<2xf32>) : !qc.qtensor<?x8, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<2x8, #qc.int<u4>, f32 #qc.per_block<[1, 2]>, zero_point i8> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

func.func @second_group_fails(%x: tensor<?x8xf32>) -> tensor<?x2xf32> {
  %w1 = arith.constant dense<1.0> : tensor<8x8xf32>
  %w2 = arith.constant dense<1.0> : tensor<2x8xf32>
  %h = qc.matmul %x, %w1 : tensor<?x8xf32>, tensor<8x8xf32> -> tensor<?x8xf32>
  %t = math.tanh %h : tensor<?x8xf32>
  %q = qc.quantize %w2 : tensor<2x8xf32> -> !qc.qtensor<2x8, #qc.int<s4>, f32 #qc.per_block<[1, 4]>>
  %y = qc.matmul %t, %q : tensor<?x8xf32>, !qc.qtensor<2x8, #qc.int<s4>, f32 #qc.per_block<[1, 4]>> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
