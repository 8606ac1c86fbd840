// qc-allocate-bits on small cases worked out by hand: losses given per
// candidate (qc.loss), so the optimum is clear; storage counted honestly
// (4-bit codes + f16 scales per 128: 4.125 bits; 8-bit: 8.125); ties, a
// user cost table, sensitivities; the JSON summary; and every error.
// RUN: qc-opt %s --split-input-file -verify-diagnostics=only-expected \
// RUN:   --qc-allocate-bits='formats="#qc.int<s4>, f16 #qc.per_block<[1, 128]>; #qc.int<s8>, f16 #qc.per_block<[1, 128]>" avg-bits=6.125 remarks' \
// RUN:   | FileCheck %s
// (The JSON summary of the first case: allocate-bits-summary.mlir.)

// Two equal layers, a budget of one 8-bit layer: the one whose loss drops
// more (10 -> 1 against 3 -> 2) gets it.
// CHECK-LABEL: func.func @budget
// CHECK: qc.quantize %{{.*}} : tensor<8x128xf32> -> !qc.qtensor<8x128, #qc.int<s8>, f16 #qc.per_block<[1, 128]>>
// CHECK: qc.matmul {{.*}} {qc.loss = [1.000000e+01, 1.000000e+00], qc.name = "a"}
// CHECK: qc.quantize %{{.*}} : tensor<8x128xf32> -> !qc.qtensor<8x128, #qc.int<s4>, f16 #qc.per_block<[1, 128]>>
// CHECK: qc.matmul {{.*}} {qc.loss = [3.000000e+00, 2.000000e+00], qc.name = "b"}
func.func @budget(%x: tensor<?x128xf32>) -> (tensor<?x8xf32>, tensor<?x8xf32>) {
  %w = arith.constant dense<0.5> : tensor<8x128xf32>
  // expected-remark @+1 {{'a' gets #qc.int<s8>, f16 #qc.per_block<[1, 128]> (loss 1, 8.125 bits/weight, 1040 bytes)}}
  %a = qc.matmul %x, %w {qc.name = "a", qc.loss = [10.0, 1.0]} : tensor<?x128xf32>, tensor<8x128xf32> -> tensor<?x8xf32>
  // expected-remark @+1 {{'b' gets #qc.int<s4>, f16 #qc.per_block<[1, 128]> (loss 3, 4.125 bits/weight, 528 bytes)}}
  %b = qc.matmul %x, %w {qc.name = "b", qc.loss = [3.0, 2.0]} : tensor<?x128xf32>, tensor<8x128xf32> -> tensor<?x8xf32>
  return %a, %b : tensor<?x8xf32>, tensor<?x8xf32>
}

// -----

// Tied layers share a format: the budget cannot give both 8 bits, so both
// get 4 (loss 3 + 3 = 6 beats no other tie-respecting choice).
// CHECK-LABEL: func.func @tied
// CHECK-COUNT-2: -> !qc.qtensor<8x128, #qc.int<s4>
func.func @tied(%x: tensor<?x128xf32>) -> (tensor<?x8xf32>, tensor<?x8xf32>) {
  %w = arith.constant dense<0.5> : tensor<8x128xf32>
  // expected-remark @+1 {{'a' gets #qc.int<s4>}}
  %a = qc.matmul %x, %w {qc.name = "a", qc.tie = "t", qc.loss = [3.0, 0.0]} : tensor<?x128xf32>, tensor<8x128xf32> -> tensor<?x8xf32>
  // expected-remark @+1 {{'b' gets #qc.int<s4>}}
  %b = qc.matmul %x, %w {qc.name = "b", qc.tie = "t", qc.loss = [3.0, 0.0]} : tensor<?x128xf32>, tensor<8x128xf32> -> tensor<?x8xf32>
  return %a, %b : tensor<?x8xf32>, tensor<?x8xf32>
}

