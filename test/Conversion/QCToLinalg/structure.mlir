// The shape of the reference lowering: quantized tensors become their
// parts, also across function boundaries; granularities become index maps.
// RUN: qc-opt %s --convert-qc-to-linalg --split-input-file | FileCheck %s

// A quantized argument is split into codes and scales; dequantize reads the
// scale of element (i, j) at (i, j floordiv 32).
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[BLK:.*]] = affine_map<(d0, d1) -> (d0, d1 floordiv 32)>
// CHECK-LABEL: func.func @dequantize(
// CHECK-SAME: %[[C:.*]]: tensor<8x64xi4>, %[[S:.*]]: tensor<8x2xf16>) -> tensor<8x64xf32>
// CHECK: %[[TABLE:.*]] = arith.constant dense<[0.000000e+00, 1.000000e+00, {{.*}}, -1.000000e+00]> : tensor<16xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[BLK]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%[[C]], %[[S]] : tensor<8x64xi4>, tensor<8x2xf16>)
// CHECK: arith.extf
// CHECK: tensor.extract %[[TABLE]]
// CHECK-NOT: qc.
func.func @dequantize(%q: !qc.qtensor<8x64, #qc.int<s4>, f16 #qc.per_block<[1, 32]>>) -> tensor<8x64xf32> {
  %x = qc.dequantize %q : !qc.qtensor<8x64, #qc.int<s4>, f16 #qc.per_block<[1, 32]>> -> tensor<8x64xf32>
  return %x : tensor<8x64xf32>
}

// -----

// Returning a quantized tensor returns its parts; f8 scales travel as i8.
// CHECK-LABEL: func.func @assemble(
// CHECK-SAME: %[[C:.*]]: tensor<4x32xi4>, %[[S:.*]]: tensor<4x2xf8E4M3FN>, %[[O:.*]]: tensor<f32>)
// CHECK-SAME: -> (tensor<4x32xi4>, tensor<4x2xi8>, tensor<f32>)
// CHECK: %[[SI:.*]] = arith.bitcast %[[S]] : tensor<4x2xf8E4M3FN> to tensor<4x2xi8>
// CHECK: return %[[C]], %[[SI]], %[[O]]
func.func @assemble(%c: tensor<4x32xi4>, %s: tensor<4x2xf8E4M3FN>, %o: tensor<f32>)
    -> !qc.qtensor<4x32, #qc.float<f4E2M1FN>, f8E4M3FN #qc.per_block<[1, 16]>, outer f32 #qc.per_tensor> {
  %q = qc.assemble %c, %s outer_scales %o : !qc.qtensor<4x32, #qc.float<f4E2M1FN>, f8E4M3FN #qc.per_block<[1, 16]>, outer f32 #qc.per_tensor>
  return %q : !qc.qtensor<4x32, #qc.float<f4E2M1FN>, f8E4M3FN #qc.per_block<[1, 16]>, outer f32 #qc.per_tensor>
}

// -----

// Calls pass the parts.
// CHECK-LABEL: func.func @caller(
// CHECK-SAME: %[[C:.*]]: tensor<?x16xi8>, %[[S:.*]]: tensor<?xf32>)
// CHECK: call @callee(%[[C]], %[[S]]) : (tensor<?x16xi8>, tensor<?xf32>) -> tensor<?x16xf32>
func.func private @callee(!qc.qtensor<?x16, #qc.int<s8>, f32 #qc.per_axis<0>>) -> tensor<?x16xf32>
func.func @caller(%q: !qc.qtensor<?x16, #qc.int<s8>, f32 #qc.per_axis<0>>) -> tensor<?x16xf32> {
  %r = call @callee(%q) : (!qc.qtensor<?x16, #qc.int<s8>, f32 #qc.per_axis<0>>) -> tensor<?x16xf32>
  return %r : tensor<?x16xf32>
}

// -----

// matmul: y[m, n] = sum_k a[m, k] * w[n, k], M dynamic.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[Y:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @matmul(
// CHECK-SAME: %[[ARG:.*]]: tensor<?x16xf32>, %{{.*}}: tensor<8x16xi4>, %{{.*}}: tensor<8xf32>)
// CHECK: %[[M:.*]] = tensor.dim %[[ARG]], %c0
// CHECK: tensor.empty(%[[M]]) : tensor<?x8xf32>
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[W]], #[[Y]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[ARG]], %{{.*}} : tensor<?x16xf32>, tensor<8x16xf32>)
func.func @matmul(%a: tensor<?x16xf32>, %w: !qc.qtensor<8x16, #qc.nf4, f32 #qc.per_axis<0>>) -> tensor<?x8xf32> {
  %y = qc.matmul %a, %w : tensor<?x16xf32>, !qc.qtensor<8x16, #qc.nf4, f32 #qc.per_axis<0>> -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}
