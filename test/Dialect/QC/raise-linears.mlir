// RUN: qc-opt %s --split-input-file --qc-raise-linears --verify-diagnostics | FileCheck %s

// torch-mlir's nn.Linear on 2-D input: transpose of the constant weight,
// matmul into a zero fill, broadcast bias add. The weight is stored K x N
// after the transpose: the raised weight holds the original N x K values.
// CHECK-LABEL: func.func @torch_linear_2d
// CHECK-DAG:     %[[W:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 2.000000e+00, 3.000000e+00], [4.000000e+00, 5.000000e+00, 6.000000e+00]]> : tensor<2x3xf32>
// CHECK-DAG:     %[[B:.*]] = arith.constant dense<[5.000000e-01, -5.000000e-01]> : tensor<2xf32>
// CHECK:         %[[Y:.*]] = qc.matmul %arg0, %[[W]] bias(%[[B]] : tensor<2xf32>) : tensor<?x3xf32>, tensor<2x3xf32> -> tensor<?x2xf32>
// CHECK-NOT:     linalg.matmul
// CHECK:         return %[[Y]]
func.func @torch_linear_2d(%x: tensor<?x3xf32>) -> tensor<?x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %b = arith.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %m = tensor.dim %x, %c0 : tensor<?x3xf32>
  %e = tensor.empty() : tensor<3x2xf32>
  %t = linalg.transpose ins(%w : tensor<2x3xf32>) outs(%e : tensor<3x2xf32>) permutation = [1, 0]
  %e2 = tensor.empty(%m) : tensor<?x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e2 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %y = linalg.matmul ins(%x, %t : tensor<?x3xf32>, tensor<3x2xf32>) outs(%f : tensor<?x2xf32>) -> tensor<?x2xf32>
  %z = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%y, %b : tensor<?x2xf32>, tensor<2xf32>) outs(%e2 : tensor<?x2xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %s = arith.addf %in, %in_1 : f32
    linalg.yield %s : f32
  } -> tensor<?x2xf32>
  return %z : tensor<?x2xf32>
}

// -----

// 3-D activations: collapse, matmul, expand, then the bias on the 3-D
// result; the transpose written as a linalg.generic.
// CHECK-LABEL: func.func @torch_linear_3d
// CHECK:         %[[A:.*]] = tensor.collapse_shape %arg0 {{\[}}[0, 1], [2]] : tensor<?x?x3xf32> into tensor<?x3xf32>
// CHECK:         %[[Y:.*]] = qc.matmul %[[A]], %{{.*}} bias(%{{.*}} : tensor<2xf32>) : tensor<?x3xf32>, tensor<2x3xf32> -> tensor<?x2xf32>
// CHECK:         %[[E:.*]] = tensor.expand_shape %[[Y]] {{\[}}[0, 1], [2]]
// CHECK-NOT:     linalg.generic
// CHECK:         return %[[E]]
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#tr2 = affine_map<(d0, d1) -> (d1, d0)>
func.func @torch_linear_3d(%x: tensor<?x?x3xf32>) -> tensor<?x?x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %b = arith.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %bs = tensor.dim %x, %c0 : tensor<?x?x3xf32>
  %sq = tensor.dim %x, %c1 : tensor<?x?x3xf32>
  %e = tensor.empty() : tensor<3x2xf32>
  %t = linalg.generic {indexing_maps = [#tr2, #id2], iterator_types = ["parallel", "parallel"]} ins(%w : tensor<2x3xf32>) outs(%e : tensor<3x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<3x2xf32>
  %a = tensor.collapse_shape %x [[0, 1], [2]] : tensor<?x?x3xf32> into tensor<?x3xf32>
  %c0b = arith.constant 0 : index
  %m = tensor.dim %a, %c0b : tensor<?x3xf32>
  %e2 = tensor.empty(%m) : tensor<?x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e2 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %y = linalg.matmul ins(%a, %t : tensor<?x3xf32>, tensor<3x2xf32>) outs(%f : tensor<?x2xf32>) -> tensor<?x2xf32>
  %y3 = tensor.expand_shape %y [[0, 1], [2]] output_shape [%bs, %sq, 2] : tensor<?x2xf32> into tensor<?x?x2xf32>
  %e3 = tensor.empty(%bs, %sq) : tensor<?x?x2xf32>
  %z = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%y3, %b : tensor<?x?x2xf32>, tensor<2xf32>) outs(%e3 : tensor<?x?x2xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %s = arith.addf %in_1, %in : f32
    linalg.yield %s : f32
  } -> tensor<?x?x2xf32>
  return %z : tensor<?x?x2xf32>
}

// -----

// linalg.matmul with transposed indexing maps (x W^T), the weight already
// N x K: the constant is used as it is. The bias is the init, broadcast.
// CHECK-LABEL: func.func @matmul_transpose_b_bias_init
// CHECK:         %[[W:.*]] = arith.constant dense<{{.*}}> : tensor<2x3xf16>
// CHECK:         qc.matmul %arg0, %[[W]] bias(%{{.*}} : tensor<2xf32>) : tensor<4x3xf32>, tensor<2x3xf16> -> tensor<4x2xf32>
func.func @matmul_transpose_b_bias_init(%x: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf16>
  %b = arith.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %e = tensor.empty() : tensor<4x2xf32>
  %bb = linalg.broadcast ins(%b : tensor<2xf32>) outs(%e : tensor<4x2xf32>) dimensions = [0]
  %y = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>]
      ins(%x, %w : tensor<4x3xf32>, tensor<2x3xf16>) outs(%bb : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %y : tensor<4x2xf32>
}

// -----

// batch_matmul with the weight broadcast along the batch; an init that is
// neither zero nor a bias is accumulated into.
// CHECK-LABEL: func.func @batch_matmul_broadcast_weight
// CHECK:         %[[A:.*]] = tensor.collapse_shape %arg0 {{\[}}[0, 1], [2]] : tensor<2x4x3xf32> into tensor<8x3xf32>
// CHECK:         %[[ACC:.*]] = tensor.collapse_shape %arg1 {{\[}}[0, 1], [2]] : tensor<2x4x2xf32> into tensor<8x2xf32>
// CHECK:         %[[Y:.*]] = qc.matmul %[[A]], %{{.*}} accumulate(%[[ACC]] : tensor<8x2xf32>) : tensor<8x3xf32>, tensor<2x3xf32> -> tensor<8x2xf32>
// CHECK:         tensor.expand_shape %[[Y]] {{\[}}[0, 1], [2]] output_shape [2, 4, 2]
func.func @batch_matmul_broadcast_weight(%x: tensor<2x4x3xf32>, %acc: tensor<2x4x2xf32>) -> tensor<2x4x2xf32> {
  %w = arith.constant dense<[[1.0, 4.0], [2.0, 5.0], [3.0, 6.0]]> : tensor<3x2xf32>
  %e = tensor.empty() : tensor<2x3x2xf32>
  %wb = linalg.broadcast ins(%w : tensor<3x2xf32>) outs(%e : tensor<2x3x2xf32>) dimensions = [0]
  %y = linalg.batch_matmul ins(%x, %wb : tensor<2x4x3xf32>, tensor<2x3x2xf32>) outs(%acc : tensor<2x4x2xf32>) -> tensor<2x4x2xf32>
  return %y : tensor<2x4x2xf32>
}

// -----

// TOSA: tosa.matmul of a [1, K, N] constant, reshaped, plus a [1, 1, N]
// bias.
// CHECK-LABEL: func.func @tosa_linear
// CHECK-DAG:     %[[W:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 2.000000e+00, 3.000000e+00], [4.000000e+00, 5.000000e+00, 6.000000e+00]]> : tensor<2x3xf32>
// CHECK-DAG:     %[[B:.*]] = arith.constant dense<[5.000000e-01, -5.000000e-01]> : tensor<2xf32>
// CHECK:         qc.matmul %{{.*}}, %[[W]] bias(%[[B]] : tensor<2xf32>) : tensor<4x3xf32>, tensor<2x3xf32> -> tensor<4x2xf32>
// CHECK-NOT:     tosa.matmul
// CHECK-NOT:     tosa.add
func.func @tosa_linear(%x: tensor<1x4x3xf32>) -> tensor<1x4x2xf32> {
  %w = "tosa.const"() {values = dense<[[[1.0, 4.0], [2.0, 5.0], [3.0, 6.0]]]> : tensor<1x3x2xf32>} : () -> tensor<1x3x2xf32>
  %b = "tosa.const"() {values = dense<[[[0.5, -0.5]]]> : tensor<1x1x2xf32>} : () -> tensor<1x1x2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x4x3xf32>, tensor<1x3x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x2xf32>
  %z = tosa.add %y, %b : (tensor<1x4x2xf32>, tensor<1x1x2xf32>) -> tensor<1x4x2xf32>
  return %z : tensor<1x4x2xf32>
}

// -----

// A weight stored as a dense_resource blob becomes a new blob in N x K
// order, bytes moved exactly.
// CHECK-LABEL: func.func @resource_weight
// CHECK:         %[[W:.*]] = arith.constant dense_resource<w_nk> : tensor<2x3xf32>
// CHECK:         qc.matmul %arg0, %[[W]]
// CHECK-NOT:   {{^}}      w:
// CHECK:       w_nk: "0x08000000000080BF0000A040000000000000003F0000004000000000"
func.func @resource_weight(%x: tensor<4x3xf32>) -> tensor<4x2xf32> {
  // K x N = [[-1, 0.5], [5, 2], [0, 0]]: N x K = [[-1, 5, 0], [0.5, 2, 0]].
  %w = arith.constant dense_resource<w> : tensor<3x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<4x3xf32>, tensor<3x2xf32>) outs(%f : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %y : tensor<4x2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      w: "0x04000000000080BF0000003F0000A040000000400000000000000000"
    }
  }
#-}

// -----

// Not Linear layers: a product of two activations is left alone without a
// word; a product with a constant the pass does not match is left with a
// warning naming what did not match.
// CHECK-LABEL: func.func @not_linear
// CHECK:         linalg.matmul
// CHECK:         linalg.matmul
// CHECK-NOT:     qc.matmul
func.func @not_linear(%x: tensor<4x3xf32>, %v: tensor<3x2xf32>) -> (tensor<4x2xf32>, tensor<4x2xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %y = linalg.matmul ins(%x, %v : tensor<4x3xf32>, tensor<3x2xf32>) outs(%f : tensor<4x2xf32>) -> tensor<4x2xf32>
  %w = arith.constant dense<1.0> : tensor<3x2xf32>
  %e2 = tensor.empty() : tensor<3x2xf32>
  %w2 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%w : tensor<3x2xf32>) outs(%e2 : tensor<3x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<3x2xf32>
  // expected-warning @+1 {{qc-raise-linears: a product with a constant that is not raised to a Linear layer: its weight comes from 'linalg.generic', which is not a constant or a transpose, broadcast or reshape of one}}
  %z = linalg.matmul ins(%x, %w2 : tensor<4x3xf32>, tensor<3x2xf32>) outs(%f : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %y, %z : tensor<4x2xf32>, tensor<4x2xf32>
}

// -----

// The constant on the left (W x) is no Linear layer in qc's convention.
func.func @constant_left(%x: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %w = arith.constant dense<1.0> : tensor<2x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  // expected-warning @+1 {{its constant operand is the left one}}
  %y = linalg.matmul ins(%w, %x : tensor<2x3xf32>, tensor<3x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// Two layers chained directly: the second reads the first's bias add,
// which the raise replaces (it must not be visited again afterwards).
// CHECK-LABEL: func.func @chained
// CHECK:         %[[H:.*]] = qc.matmul %arg0, %{{.*}} bias(%{{.*}} : tensor<2xf32>)
// CHECK:         %[[Y:.*]] = qc.matmul %[[H]], %{{.*}} bias(%{{.*}} : tensor<2xf32>)
// CHECK:         return %[[Y]]
#idc = affine_map<(d0, d1) -> (d0, d1)>
#colc = affine_map<(d0, d1) -> (d1)>
func.func @chained(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %b = arith.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %et = tensor.empty() : tensor<2x2xf32>
  %t = linalg.transpose ins(%w : tensor<2x2xf32>) outs(%et : tensor<2x2xf32>) permutation = [1, 0]
  %y1 = linalg.matmul ins(%x, %t : tensor<4x2xf32>, tensor<2x2xf32>) outs(%f : tensor<4x2xf32>) -> tensor<4x2xf32>
  %h = linalg.generic {indexing_maps = [#idc, #colc, #idc], iterator_types = ["parallel", "parallel"]} ins(%y1, %b : tensor<4x2xf32>, tensor<2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %s = arith.addf %p, %q : f32
    linalg.yield %s : f32
  } -> tensor<4x2xf32>
  %y2 = linalg.matmul ins(%h, %t : tensor<4x2xf32>, tensor<2x2xf32>) outs(%f : tensor<4x2xf32>) -> tensor<4x2xf32>
  %z = linalg.generic {indexing_maps = [#idc, #colc, #idc], iterator_types = ["parallel", "parallel"]} ins(%y2, %b : tensor<4x2xf32>, tensor<2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %s = arith.addf %p, %q : f32
    linalg.yield %s : f32
  } -> tensor<4x2xf32>
  return %z : tensor<4x2xf32>
}
