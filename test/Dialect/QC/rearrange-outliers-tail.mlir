// qc-rearrange-outliers{tail=2}: after sorting, the two largest channels
// form a tail kept at higher precision: each reader with a quantized weight
// becomes two matmuls (the mixed precision form), the second accumulating
// into the first; a quantized activation is split the same way.
// RUN: qc-opt %s --qc-rearrange-outliers="tail=2 remarks" --split-input-file -verify-diagnostics=only-expected | FileCheck %s

// Column max-abs of %w2: [8, 1, 7, 2, 6, 3, 5, 4] -> p = [1, 3, 5, 7, 6, 4, 2, 0];
// the tail holds channels 2 and 0.
// CHECK-LABEL: func.func @tail
// CHECK: %[[H:.*]] = qc.matmul %arg0
// CHECK: %[[T:.*]] = math.tanh %[[H]]
// CHECK: %[[M:.*]] = tensor.dim %[[T]], %c0
// CHECK: %[[X0:.*]] = tensor.extract_slice %[[T]][0, 0] [%[[M]], 6] [1, 1] : tensor<?x8xf32> to tensor<?x6xf32>
// CHECK: %[[X1:.*]] = tensor.extract_slice %[[T]][0, 6] [%[[M]], 2] [1, 1] : tensor<?x8xf32> to tensor<?x2xf32>
// CHECK: %[[A0:.*]] = qc.quantize %[[X0]] : tensor<?x6xf32> -> !qc.qtensor<?x6, #qc.int<s8>, f32 #qc.per_axis<0>>
// CHECK: %[[A1:.*]] = qc.quantize %[[X1]] : tensor<?x2xf32> -> !qc.qtensor<?x2, #qc.int<s8>, f32 #qc.per_axis<0>>
// CHECK: %[[C0:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00, 6.000000e+00], [-1.000000e+00, -2.000000e+00, -3.000000e+00, -4.000000e+00, -5.000000e+00, -6.000000e+00]]> : tensor<2x6xf32>
// CHECK: %[[W0:.*]] = qc.quantize %[[C0]] method<minmax> : tensor<2x6xf32> -> !qc.qtensor<2x6, #qc.int<u4>, f32 #qc.per_block<[1, 2]>, zero_point i8>
// CHECK: %[[C1:.*]] = arith.constant dense<{{\[}}[7.000000e+00, 8.000000e+00], [-7.000000e+00, -8.000000e+00]]> : tensor<2x2xf32>
// CHECK: %[[W1:.*]] = qc.quantize %[[C1]] method<minmax> : tensor<2x2xf32> -> !qc.qtensor<2x2, #qc.int<s8, narrow>, f32 #qc.per_block<[1, 2]>, zero_point i8>
// CHECK: %[[Y0:.*]] = qc.matmul %[[A0]], %[[W0]] bias(%{{.*}} : tensor<2xf32>)
// CHECK: %[[Y:.*]] = qc.matmul %[[A1]], %[[W1]] accumulate(%[[Y0]] : tensor<?x2xf32>)
// CHECK: return %[[Y]]
func.func @tail(%x: tensor<?x8xf32>) -> tensor<?x2xf32> {
  %w1 = arith.constant dense<1.0> : tensor<8x8xf32>
  %w2 = arith.constant dense<[[8.0, 1.0, 7.0, 2.0, 6.0, 3.0, 5.0, 4.0], [-8.0, -1.0, -7.0, -2.0, -6.0, -3.0, -5.0, -4.0]]> : tensor<2x8xf32>
  %b2 = arith.constant dense<[0.5, -0.5]> : tensor<2xf32>
  // expected-remark @+1 {{left in place}}
  %h = qc.matmul %x, %w1 : tensor<?x8xf32>, tensor<8x8xf32> -> tensor<?x8xf32>
  %t = math.tanh %h : tensor<?x8xf32>
  %a = qc.quantize %t : tensor<?x8xf32> -> !qc.qtensor<?x8, #qc.int<s8>, f32 #qc.per_axis<0>>
  %q = qc.quantize %w2 method<minmax> : tensor<2x8xf32> -> !qc.qtensor<2x8, #qc.int<u4>, f32 #qc.per_block<[1, 2]>, zero_point i8>
  // expected-remark @+1 {{8 input channels rearranged (sort by weight-max-abs) for 1 Linear layer(s), with 1 writer(s), 0 norm(s) and 2 value(s) permuted; 1 Linear layer(s) split with a tail of 2 channels in #qc.int<s8, narrow>}}
  %y = qc.matmul %a, %q bias(%b2 : tensor<2xf32>) : !qc.qtensor<?x8, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<2x8, #qc.int<u4>, f32 #qc.per_block<[1, 2]>, zero_point i8> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// Weight blocks of 4 along K do not divide the 6 channels before the tail.
func.func @blocks_do_not_divide(%x: tensor<?x8xf32>) -> tensor<?x2xf32> {
  %w1 = arith.constant dense<1.0> : tensor<8x8xf32>
  %w2 = arith.constant dense<1.0> : tensor<2x8xf32>
  %h = qc.matmul %x, %w1 : tensor<?x8xf32>, tensor<8x8xf32> -> tensor<?x8xf32>
  %t = math.tanh %h : tensor<?x8xf32>
  %q = qc.quantize %w2 : tensor<2x8xf32> -> !qc.qtensor<2x8, #qc.int<s4>, f32 #qc.per_block<[1, 4]>>
  // expected-error @+1 {{qc-rearrange-outliers: cannot split weight '!qc.qtensor<2x8, #qc.int<s4>, f32 #qc.per_block<[1, 4]>>' at the tail: blocks of 4 along K do not divide a part of 6 channels}}
  %y = qc.matmul %t, %q : tensor<?x8xf32>, !qc.qtensor<2x8, #qc.int<s4>, f32 #qc.per_block<[1, 4]>> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// Activation blocks likewise.
func.func @activation_blocks(%x: tensor<?x8xf32>) -> tensor<?x2xf32> {
  %w1 = arith.constant dense<1.0> : tensor<8x8xf32>
  %w2 = arith.constant dense<1.0> : tensor<2x8xf32>
  %h = qc.matmul %x, %w1 : tensor<?x8xf32>, tensor<8x8xf32> -> tensor<?x8xf32>
  %t = math.tanh %h : tensor<?x8xf32>
  %a = qc.quantize %t : tensor<?x8xf32> -> !qc.qtensor<?x8, #qc.int<s8>, f32 #qc.per_block<[1, 4]>>
  %q = qc.quantize %w2 : tensor<2x8xf32> -> !qc.qtensor<2x8, #qc.int<s4>, f32 #qc.per_axis<0>>
  // expected-error @+1 {{cannot split activation '!qc.qtensor<?x8, #qc.int<s8>, f32 #qc.per_block<[1, 4]>>' at the tail: blocks of 4 along K do not divide a part of 6 channels}}
  %y = qc.matmul %a, %q : !qc.qtensor<?x8, #qc.int<s8>, f32 #qc.per_block<[1, 4]>>, !qc.qtensor<2x8, #qc.int<s4>, f32 #qc.per_axis<0>> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
