// qc-allocate-bits{gptq}: each candidate's loss is GPTQ's output error on the
// calibration inputs (sum_n d_n^T H d_n with the layer's qc.act_gram), and
// the chosen weights are GPTQ's. The weights and Gram matrix of 'a' are
// quantize-linears-gptq.mlir's, worked by hand there: in int4 its GPTQ error
// is 0.0044 (rounding to nearest: 0.0064) and its codes 3 6 7 | 3 6 7. 'b'
// has the same weight and H = 10 I (no feedback: rounding to nearest),
// error 10 * (0.0032 + 0.0032) = 0.064. A budget of one int8 layer
// (11 + 14 bytes for 12 weights: 16.67 bits) goes to 'b', whose loss drops
// more.
// RUN: qc-opt %s -verify-diagnostics=only-expected \
// RUN:   --qc-allocate-bits='formats="#qc.int<s4>, f32 #qc.per_block<[1, 3]>; #qc.int<s8>, f32 #qc.per_block<[1, 3]>" avg-bits=16.7 gptq gptq-damp=0 remarks' \
// RUN:   | FileCheck %s

// CHECK-LABEL: func.func @two
// CHECK: qc.constant codes(dense_resource<[[A:.*]]> : tensor<3xi8>) {{.*}} #qc.int<s4>
// CHECK: qc.constant codes(dense_resource<{{.*}}> : tensor<6xi8>) {{.*}} #qc.int<s8>
// CHECK: [[A]]: "0x01000000633776"
func.func @two(%x: tensor<?x3xf32>) -> (tensor<?x2xf32>, tensor<?x2xf32>) {
  %w = arith.constant dense<[[0.26, 0.66, 0.7], [0.26, 0.64, 0.7]]> : tensor<2x3xf32>
  // expected-remark @+1 {{'a' gets #qc.int<s4>, f32 #qc.per_block<[1, 3]> (loss 0.0044, 14.6667 bits/weight, 11 bytes)}}
  %a = qc.matmul %x, %w {qc.name = "a", qc.act_gram = dense<[[1.0, 0.5, 0.0], [0.5, 1.0, 0.0], [0.0, 0.0, 1.0]]> : tensor<3x3xf32>} : tensor<?x3xf32>, tensor<2x3xf32> -> tensor<?x2xf32>
  // expected-remark @+1 {{'b' gets #qc.int<s8>, f32 #qc.per_block<[1, 3]>}}
  %b = qc.matmul %x, %w {qc.name = "b", qc.act_gram = dense<[[10.0, 0.0, 0.0], [0.0, 10.0, 0.0], [0.0, 0.0, 10.0]]> : tensor<3x3xf32>} : tensor<?x3xf32>, tensor<2x3xf32> -> tensor<?x2xf32>
  return %a, %b : tensor<?x2xf32>, tensor<?x2xf32>
}

