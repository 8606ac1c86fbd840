// qc-rearrange-outliers through the elementwise linalg.generic ops front
// ends write (torch-mlir's bias adds and ReLUs): each lane's value depends
// only on the same lane, so a permutation of the channels passes through;
// a per-channel operand broadcast across the rows is permuted with them.
// RUN: qc-opt %s --qc-rearrange-outliers=remarks --split-input-file -verify-diagnostics=only-expected | FileCheck %s

// Column max-abs of %w2: [9, 2, 5, 4, 5, 7]; ascending, ties by index:
// p = [1, 3, 2, 4, 5, 0]. The writer's rows, the broadcast vector %c and the
// reader's columns follow; the generic is unchanged.
// CHECK-LABEL: func.func @writer_generic_reader
// CHECK-DAG: %[[C:.*]] = arith.constant dense<[2.000000e+00, 4.000000e+00, 3.000000e+00, 5.000000e+00, 6.000000e+00, 1.000000e+00]>
// CHECK-DAG: %[[W1:.*]] = arith.constant dense<{{\[}}[0.000000e+00, 2.000000e+00, 0.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00, 0.000000e+00, 4.000000e+00], [0.000000e+00, 0.000000e+00, 3.000000e+00, 0.000000e+00], [1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00], [5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01], [1.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]]>
// CHECK-DAG: %[[W2:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 2.000000e+00, 5.000000e+00, 1.000000e-01, 7.000000e+00, 9.000000e+00], [2.000000e+00, 4.000000e+00, 3.000000e+00, 5.000000e+00, 6.000000e+00, 1.000000e+00]]>
// CHECK-DAG: %[[H:.*]] = qc.matmul %arg0, %[[W1]]
// CHECK-DAG: %[[R:.*]] = linalg.generic {{.*}} ins(%[[H]], %[[C]] :
// CHECK-DAG: qc.matmul %[[R]], %[[W2]]
#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
func.func @writer_generic_reader(%x: tensor<?x4xf32>) -> tensor<?x2xf32> {
  %w1 = arith.constant dense<[[1.0, 0.0, 0.0, 0.0], [0.0, 2.0, 0.0, 0.0], [0.0, 0.0, 3.0, 0.0], [0.0, 0.0, 0.0, 4.0], [1.0, 1.0, 1.0, 1.0], [0.5, 0.5, 0.5, 0.5]]> : tensor<6x4xf32>
  %c = arith.constant dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]> : tensor<6xf32>
  %w2 = arith.constant dense<[[9.0, 1.0, 5.0, 2.0, 0.1, 7.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]]> : tensor<2x6xf32>
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  // expected-remark @+1 {{input channels left in place}}
  %h = qc.matmul %x, %w1 : tensor<?x4xf32>, tensor<6x4xf32> -> tensor<?x6xf32>
  %m = tensor.dim %h, %c0 : tensor<?x6xf32>
  %e = tensor.empty(%m) : tensor<?x6xf32>
  %r = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]} ins(%h, %c : tensor<?x6xf32>, tensor<6xf32>) outs(%e : tensor<?x6xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %s = arith.addf %a, %b : f32
    %v = arith.maximumf %s, %zero : f32
    linalg.yield %v : f32
  } -> tensor<?x6xf32>
  // expected-remark @+1 {{input channels rearranged}}
  %y = qc.matmul %r, %w2 : tensor<?x6xf32>, tensor<2x6xf32> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// A generic that reads the channels other than lane by lane (here it uses
// linalg.index) blocks the group, with the op named.
// CHECK-LABEL: func.func @generic_with_index
// CHECK: %[[W2:.*]] = arith.constant dense<{{\[}}[9.000000e+00, 1.000000e+00
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @generic_with_index(%x: tensor<?x4xf32>) -> tensor<?x2xf32> {
  %w1 = arith.constant dense<1.0> : tensor<6x4xf32>
  %w2 = arith.constant dense<[[9.0, 1.0, 5.0, 2.0, 0.1, 7.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]]> : tensor<2x6xf32>
  %c0 = arith.constant 0 : index
  // expected-remark @+1 {{input channels left in place}}
  %h = qc.matmul %x, %w1 : tensor<?x4xf32>, tensor<6x4xf32> -> tensor<?x6xf32>
  %m = tensor.dim %h, %c0 : tensor<?x6xf32>
  %e = tensor.empty(%m) : tensor<?x6xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%h : tensor<?x6xf32>) outs(%e : tensor<?x6xf32>) {
  ^bb0(%a: f32, %out: f32):
    %i = linalg.index 1 : index
    %ii = arith.index_cast %i : index to i64
    %f = arith.sitofp %ii : i64 to f32
    %v = arith.mulf %a, %f : f32
    linalg.yield %v : f32
  } -> tensor<?x6xf32>
  // expected-remark @+1 {{input channels left in place: the channels are produced by 'linalg.generic', which a permutation does not pass through (only elementwise ops, elementwise linalg.generic ops, qc.rms_norm and Linear layers)}}
  %y = qc.matmul %r, %w2 : tensor<?x6xf32>, tensor<2x6xf32> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
