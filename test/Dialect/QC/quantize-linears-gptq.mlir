// qc-quantize-linears{gptq}: GPTQ with the layer's calibration Gram matrix
// (qc.act_gram = X^T X), checked against GPTQ worked by hand; and its errors.
// RUN: qc-opt %s --split-input-file -verify-diagnostics=only-expected \
// RUN:   --qc-quantize-linears='weight-format="#qc.int<s4>, f32 #qc.per_block<[1, 3]>" gptq gptq-damp=0 remarks' \
// RUN:   | FileCheck %s
// Rounding to nearest, for comparison:
// RUN: qc-opt %s --split-input-file --qc-quantize-linears='weight-format="#qc.int<s4>, f32 #qc.per_block<[1, 3]>"' \
// RUN:   --qc-quantize-constants 2>/dev/null | FileCheck %s --check-prefix=RTN
// qc-quantize-model refuses GPTQ with rotations:
// RUN: not qc-opt %s --split-input-file --qc-quantize-model='policy=w4g64 gptq rotations' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MODEL

// By hand. Both rows have the block scale s = 0.7 / 7 = 0.1 (absmax of the
// block, which holds the whole row). H = [[1, a, 0], [a, 1, 0], [0, 0, 1]],
// a = 0.5, no damping: H^-1 = [[1, -a], [-a, 1]] / (1 - a^2) (and 1), whose
// upper Cholesky factor U has U00 = 1 / sqrt(1 - a^2), U01 = -a / sqrt(1 - a^2).
// Row 0, column 0: 0.26 -> code 3 (0.3), error e = (0.26 - 0.3) / U00; column
// 1 becomes 0.66 - e U01 = 0.66 + a (0.26 - 0.3) = 0.64 -> code 6, where
// rounding to nearest gives 7; column 2 gets nothing (U02 = U12 = 0): 7.
// Row 1 (0.64 becomes 0.62): codes 3, 6, 7 as rounding to nearest.
// Codes are packed two per byte, low nibble first: 3 6 | 7 3 | 6 7.
// Output errors sum_n d_n^T H d_n: rounding 0.0048 + 0.0016, GPTQ 0.0028 + 0.0016.
// CHECK-LABEL: func.func @by_hand
// CHECK-NOT: arith.constant
// CHECK: %[[W:.*]] = qc.constant codes(dense_resource<[[CODES:.*]]> : tensor<3xi8>) scales(dense_resource<[[SCALES:.*]]> : tensor<2x1xf32>) : !qc.qtensor<2x3, #qc.int<s4>, f32 #qc.per_block<[1, 3]>>
// CHECK: qc.matmul %arg0, %[[W]]
// CHECK: [[CODES]]: "0x01000000633776"
// CHECK: [[SCALES]]: "0x04000000CDCCCC3DCDCCCC3D"
// RTN: qc_codes: "0x01000000733776"
func.func @by_hand(%x: tensor<?x3xf32>) -> tensor<?x2xf32> {
  %w = arith.constant dense<[[0.26, 0.66, 0.7], [0.26, 0.64, 0.7]]> : tensor<2x3xf32>
  // expected-remark @+1 {{'up' quantized as #qc.int<s4>, f32 #qc.per_block<[1, 3]> by GPTQ: output error on the calibration inputs 0.0043999}}
  %y = qc.matmul %x, %w {qc.name = "up", qc.act_gram = dense<[[1.0, 0.5, 0.0], [0.5, 1.0, 0.0], [0.0, 0.0, 1.0]]> : tensor<3x3xf32>} : tensor<?x3xf32>, tensor<2x3xf32> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
// MODEL: gptq=true and rotations=true do not combine

// -----

func.func @no_gram(%x: tensor<?x3xf32>) -> tensor<?x2xf32> {
  %w = arith.constant dense<0.5> : tensor<2x3xf32>
  // expected-error @+1 {{qc-quantize-linears{gptq}: layer 'up' needs a 'qc.act_gram' attribute, the Gram matrix X^T X of its activation over calibration inputs (3 x 3 finite floats, symmetric): it has none}}
  %y = qc.matmul %x, %w {qc.name = "up"} : tensor<?x3xf32>, tensor<2x3xf32> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

func.func @wrong_shape(%x: tensor<?x3xf32>) -> tensor<?x2xf32> {
  %w = arith.constant dense<0.5> : tensor<2x3xf32>
  // expected-error @+1 {{needs a 'qc.act_gram' attribute, the Gram matrix X^T X of its activation over calibration inputs (3 x 3 finite floats, symmetric): its type is tensor<3xf32>}}
  %y = qc.matmul %x, %w {qc.name = "up", qc.act_gram = dense<1.0> : tensor<3xf32>} : tensor<?x3xf32>, tensor<2x3xf32> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

func.func @not_symmetric(%x: tensor<?x3xf32>) -> tensor<?x2xf32> {
  %w = arith.constant dense<0.5> : tensor<2x3xf32>
  // expected-error @+1 {{it is not symmetric at (1, 0)}}
  %y = qc.matmul %x, %w {qc.name = "up", qc.act_gram = dense<[[1.0, 0.5, 0.0], [0.4, 1.0, 0.0], [0.0, 0.0, 1.0]]> : tensor<3x3xf32>} : tensor<?x3xf32>, tensor<2x3xf32> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// Symmetric but not positive semidefinite: the damped matrix has no
// Cholesky factor.
func.func @not_positive(%x: tensor<?x3xf32>) -> tensor<?x2xf32> {
  %w = arith.constant dense<0.5> : tensor<2x3xf32>
  // expected-error @+1 {{qc-quantize-linears{gptq}: layer 'up': the damped Gram matrix is not positive definite}}
  %y = qc.matmul %x, %w {qc.name = "up", qc.act_gram = dense<[[1.0, 5.0, 0.0], [5.0, 1.0, 0.0], [0.0, 0.0, 1.0]]> : tensor<3x3xf32>} : tensor<?x3xf32>, tensor<2x3xf32> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// A symmetric Gram matrix with a negative diagonal entry (no X^T X has one).
func.func @negative_diagonal(%x: tensor<?x3xf32>) -> tensor<?x2xf32> {
  %w = arith.constant dense<0.5> : tensor<2x3xf32>
  // expected-error @+1 {{qc-quantize-linears{gptq}: layer 'up': the Gram matrix's diagonal entry 1 is negative or not finite}}
  %y = qc.matmul %x, %w {qc.name = "up", qc.act_gram = dense<[[1.0, 0.0, 0.0], [0.0, -1.0, 0.0], [0.0, 0.0, 1.0]]> : tensor<3x3xf32>} : tensor<?x3xf32>, tensor<2x3xf32> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

