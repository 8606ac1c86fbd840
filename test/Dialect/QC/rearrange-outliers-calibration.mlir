// qc-rearrange-outliers with calibration statistics (metric=act-*): the
// attribute chooses the permutation and follows it; a missing or malformed
// attribute is an error.
// RUN: qc-opt %s --qc-rearrange-outliers="remarks metric=act-max-abs" --split-input-file -verify-diagnostics=only-expected | FileCheck %s
// A second run finds the channels sorted already: the identity.
// RUN: qc-opt %s --qc-rearrange-outliers="remarks metric=act-max-abs" --split-input-file -verify-diagnostics=only-expected \
// RUN:   | qc-opt --split-input-file --qc-rearrange-outliers="metric=act-max-abs" | FileCheck %s --check-prefix=TWICE
// TWICE-LABEL: func.func @calibrated
// TWICE: dense<{{\[}}[1.000000e+00], [3.000000e+00], [4.000000e+00], [2.000000e+00]]>
// TWICE: qc.act_max_abs = dense<[1.000000e+00, 3.000000e+00, 5.000000e+00, 9.000000e+00]>
// TWICE-SAME: tensor<2x4xf32>, tensor<1x4xf32>
// Calibration statistics: act-max-abs [1, 9, 3, 5] -> p = [0, 2, 3, 1]; the
// attribute is permuted with the channels (a second run changes nothing).
// CHECK-LABEL: func.func @calibrated
// CHECK-DAG: dense<{{\[}}[1.000000e+00], [3.000000e+00], [4.000000e+00], [2.000000e+00]]>
// CHECK-DAG: qc.act_max_abs = dense<[1.000000e+00, 3.000000e+00, 5.000000e+00, 9.000000e+00]>
func.func @calibrated(%x: tensor<?x4xf32>) -> tensor<?x1xf32> {
  %w1 = arith.constant dense<[[1.0], [2.0], [3.0], [4.0]]> : tensor<4x1xf32>
  %w2 = arith.constant dense<[[1.0, 1.0, 1.0, 1.0]]> : tensor<1x4xf32>
  %x1 = tensor.extract_slice %x[0, 0] [2, 1] [1, 1] : tensor<?x4xf32> to tensor<2x1xf32>
  %h = qc.matmul %x1, %w1 : tensor<2x1xf32>, tensor<4x1xf32> -> tensor<2x4xf32>
  // expected-remark @+1 {{4 input channels rearranged (sort by act-max-abs)}}
  %y = qc.matmul %h, %w2 {qc.act_max_abs = dense<[1.0, 9.0, 3.0, 5.0]> : tensor<4xf32>} : tensor<2x4xf32>, tensor<1x4xf32> -> tensor<2x1xf32>
  %c = tensor.cast %y : tensor<2x1xf32> to tensor<?x1xf32>
  return %c : tensor<?x1xf32>
}

// -----

func.func @missing(%x: tensor<2x1xf32>) -> tensor<2x1xf32> {
  %w1 = arith.constant dense<[[1.0], [2.0], [3.0], [4.0]]> : tensor<4x1xf32>
  %w2 = arith.constant dense<[[1.0, 1.0, 1.0, 1.0]]> : tensor<1x4xf32>
  %x1 = arith.negf %x : tensor<2x1xf32>
  %h = qc.matmul %x1, %w1 : tensor<2x1xf32>, tensor<4x1xf32> -> tensor<2x4xf32>
  // expected-error @+1 {{qc-rearrange-outliers{metric=act-max-abs}: this Linear layer has no 'qc.act_max_abs' attribute (a dense float attribute of its 4 input channels' calibration statistic)}}
  %y = qc.matmul %h, %w2 : tensor<2x4xf32>, tensor<1x4xf32> -> tensor<2x1xf32>
  return %y : tensor<2x1xf32>
}

// -----

func.func @wrong_length(%x: tensor<2x1xf32>) -> tensor<2x1xf32> {
  %w1 = arith.constant dense<[[1.0], [2.0], [3.0], [4.0]]> : tensor<4x1xf32>
  %w2 = arith.constant dense<[[1.0, 1.0, 1.0, 1.0]]> : tensor<1x4xf32>
  %x1 = arith.negf %x : tensor<2x1xf32>
  %h = qc.matmul %x1, %w1 : tensor<2x1xf32>, tensor<4x1xf32> -> tensor<2x4xf32>
  // expected-error @+1 {{'qc.act_max_abs' has 2 values; the Linear layer has 4 input channels}}
  %y = qc.matmul %h, %w2 {qc.act_max_abs = dense<[1.0, 2.0]> : tensor<2xf32>} : tensor<2x4xf32>, tensor<1x4xf32> -> tensor<2x1xf32>
  return %y : tensor<2x1xf32>
}

// -----

func.func @negative(%x: tensor<2x1xf32>) -> tensor<2x1xf32> {
  %w1 = arith.constant dense<[[1.0], [2.0], [3.0], [4.0]]> : tensor<4x1xf32>
  %w2 = arith.constant dense<[[1.0, 1.0, 1.0, 1.0]]> : tensor<1x4xf32>
  %x1 = arith.negf %x : tensor<2x1xf32>
  %h = qc.matmul %x1, %w1 : tensor<2x1xf32>, tensor<4x1xf32> -> tensor<2x4xf32>
  // expected-error @+1 {{'qc.act_max_abs' value 2 is -3.000000e+00; calibration statistics must be finite and >= 0}}
  %y = qc.matmul %h, %w2 {qc.act_max_abs = dense<[1.0, 2.0, -3.0, 4.0]> : tensor<4xf32>} : tensor<2x4xf32>, tensor<1x4xf32> -> tensor<2x1xf32>
  return %y : tensor<2x1xf32>
}
