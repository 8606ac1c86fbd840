// qc.rotate lowers to the fast Walsh-Hadamard transform: log2(m) butterfly
// generics (partner j ^ h), then the K x K Paley base as a small dense step,
// the 1/sqrt(n) scale last; the rotated axis is moved last and back.
// RUN: qc-opt %s --convert-qc-to-linalg | FileCheck %s

// CHECK: #[[SWAP:.*]] = affine_map<(d0, d1) -> (d1, d0)>

// n = 8: three stages with h = 1, 2, 4, then one scaling generic.
// CHECK-LABEL: func.func @sylvester(
// CHECK: linalg.generic
// CHECK: %[[H1:.*]] = arith.constant 1 : index
// CHECK: arith.xori %{{.*}}, %[[H1]]
// CHECK: %[[H2:.*]] = arith.constant 2 : index
// CHECK: arith.xori %{{.*}}, %[[H2]]
// CHECK: %[[H4:.*]] = arith.constant 4 : index
// CHECK: arith.xori %{{.*}}, %[[H4]]
// CHECK-NOT: arith.xori
// CHECK: arith.constant 0.353553385 : f32
func.func @sylvester(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %0 = qc.rotate %x by #qc.hadamard<8> along 1 : tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// n = 24 = 12 * 2 along axis 0 of a 24 x 3 f16 tensor: to f32 with the
// axis last (3 x 24), one stage, the 12 x 12 base, back to 24 x 3 f16.
// CHECK-LABEL: func.func @paley(
// CHECK: linalg.generic {indexing_maps = [#[[SWAP]], {{.*}} ins(%{{.*}} : tensor<24x3xf16>) outs(%{{.*}} : tensor<3x24xf32>)
// CHECK: arith.extf
// CHECK: arith.xori
// CHECK-NOT: arith.xori
// CHECK: arith.constant dense<{{.*}}> : tensor<12x12xf32>
// CHECK: scf.for
// CHECK: arith.truncf
// CHECK-SAME: f32 to f16
func.func @paley(%x: tensor<24x3xf16>) -> tensor<24x3xf16> {
  %0 = qc.rotate %x by #qc.hadamard<24, paley1 = 11> along 0 : tensor<24x3xf16>
  return %0 : tensor<24x3xf16>
}

// A permutation is a gather: one generic over the result reading the index
// table (p, or its inverse for the transpose) and extracting x[i, p[j]]; no
// multiplication, no n x n matrix.
// CHECK-LABEL: func.func @permutation(
// CHECK: arith.constant dense<[2, 0, 3, 1]> : tensor<4xindex>
// CHECK: linalg.generic
// CHECK-NEXT: ^bb0(%[[P:.*]]: index, %{{.*}}: f16):
// CHECK-NEXT: %[[I:.*]] = linalg.index 0 : index
// CHECK-NEXT: %[[V:.*]] = tensor.extract %arg0[%[[I]], %[[P]]] : tensor<?x4xf16>
// CHECK-NEXT: linalg.yield %[[V]] : f16
// CHECK-NOT: arith.mulf
// CHECK: arith.constant dense<[1, 3, 0, 2]> : tensor<4xindex>
// CHECK: linalg.generic
// CHECK-NOT: arith.mulf
// CHECK: return
func.func @permutation(%x: tensor<?x4xf16>) -> (tensor<?x4xf16>, tensor<?x4xf16>) {
  %y = qc.rotate %x by #qc.permutation<[2, 0, 3, 1]> along 1 : tensor<?x4xf16>
  %z = qc.rotate %x by #qc.permutation<[2, 0, 3, 1]> along 1 transpose : tensor<?x4xf16>
  return %y, %z : tensor<?x4xf16>, tensor<?x4xf16>
}
