// qc-insert-rotations puts x Q in front of the activations' quantizer and
// W Q (a new constant) in front of the weight's, for matmuls whose
// activations are quantized (and, with weights-only, those whose activations
// stay float). The float function is unchanged: checked numerically by
// test/Integration/QC/insert_rotations_int4.mlir.
// RUN: qc-opt %s --qc-insert-rotations=remarks --split-input-file -verify-diagnostics=only-expected | FileCheck %s
// RUN: qc-opt %s --qc-insert-rotations=remarks --split-input-file -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SUMMARY
// SUMMARY: qc-insert-rotations: 1 rotation pair(s) inserted; 0 matmul(s) left unrotated
// SUMMARY: qc-insert-rotations: 1 rotation pair(s) inserted; 0 matmul(s) left unrotated
// SUMMARY: qc-insert-rotations: 0 rotation pair(s) inserted; 0 matmul(s) left unrotated
// SUMMARY: qc-insert-rotations: 0 rotation pair(s) inserted; 3 matmul(s) left unrotated
// RUN: qc-opt %s --qc-insert-rotations="weights-only=true seed=5 remarks" --split-input-file -verify-diagnostics=only-expected \
// RUN:   | FileCheck %s --check-prefix=WO

// CHECK-LABEL: func.func @w4a8(
// CHECK-SAME: %[[X:.*]]: tensor<?x48xf32>
// CHECK: %[[WQ:.*]] = arith.constant dense<{{.*}}> : tensor<4x48xf32>
// CHECK: %[[QW:.*]] = qc.quantize %[[WQ]] : tensor<4x48xf32> -> !qc.qtensor<4x48, #qc.int<s4>, f32 #qc.per_axis<0>>
// CHECK: %[[R:.*]] = qc.rotate %[[X]] by #qc.hadamard<48, paley1 = 11> along 1 : tensor<?x48xf32>
// CHECK: %[[QA:.*]] = qc.quantize %[[R]] : tensor<?x48xf32> -> !qc.qtensor<?x48, #qc.int<s8>, f32 #qc.per_axis<0>>
// CHECK: qc.matmul %[[QA]], %[[QW]]
// WO-LABEL: func.func @w4a8(
// WO: qc.rotate %{{.*}} by #qc.hadamard<48, paley1 = 11, seed = 5> along 1
func.func @w4a8(%x: tensor<?x48xf32>) -> tensor<?x4xf32> {
  %w = arith.constant dense<0.25> : tensor<4x48xf32>
  %qa = qc.quantize %x : tensor<?x48xf32> -> !qc.qtensor<?x48, #qc.int<s8>, f32 #qc.per_axis<0>>
  %qw = qc.quantize %w : tensor<4x48xf32> -> !qc.qtensor<4x48, #qc.int<s4>, f32 #qc.per_axis<0>>
  %y = qc.matmul %qa, %qw : !qc.qtensor<?x48, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<4x48, #qc.int<s4>, f32 #qc.per_axis<0>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// The smallest base that covers K: 172 = 4 * 43 is williamson = 43 (Paley
// needs a prime power at 171 = 9 * 19 or 85 = 5 * 17); K = 11008 = 172 * 64
// gets the same base (test/Integration/QC/rotate_williamson172x64.mlir).
// CHECK-LABEL: func.func @williamson(
// CHECK: qc.rotate %{{.*}} by #qc.hadamard<172, williamson = 43> along 1 : tensor<?x172xf32>
func.func @williamson(%x: tensor<?x172xf32>) -> tensor<?x2xf32> {
  %w = arith.constant dense<0.25> : tensor<2x172xf32>
  %qa = qc.quantize %x : tensor<?x172xf32> -> !qc.qtensor<?x172, #qc.int<s8>, f32 #qc.per_axis<0>>
  %qw = qc.quantize %w : tensor<2x172xf32> -> !qc.qtensor<2x172, #qc.int<s4>, f32 #qc.per_axis<0>>
  %y = qc.matmul %qa, %qw : !qc.qtensor<?x172, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<2x172, #qc.int<s4>, f32 #qc.per_axis<0>> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// Weight-only: only with weights-only.
// CHECK-LABEL: func.func @weight_only(
// CHECK-NOT: qc.rotate
// WO-LABEL: func.func @weight_only(
// WO: qc.rotate %{{.*}} by #qc.hadamard<64, seed = 5> along 1
func.func @weight_only(%x: tensor<?x64xf32>) -> tensor<?x4xf32> {
  %w = arith.constant dense<0.25> : tensor<4x64xf32>
  %qw = qc.quantize %w : tensor<4x64xf32> -> !qc.qtensor<4x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>>
  %y = qc.matmul %x, %qw : tensor<?x64xf32>, !qc.qtensor<4x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// Left alone, with the reason.
func.func @skipped(%x: tensor<?x188xf32>, %x2: tensor<?x8xf32>, %q: !qc.qtensor<4x8, #qc.int<s4>, f32 #qc.per_axis<0>>, %s: tensor<4xf32>)
    -> (tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>) {
  %w = arith.constant dense<0.25> : tensor<4x188xf32>
  %qa = qc.quantize %x : tensor<?x188xf32> -> !qc.qtensor<?x188, #qc.int<s8>, f32 #qc.per_axis<0>>
  %qw = qc.quantize %w : tensor<4x188xf32> -> !qc.qtensor<4x188, #qc.int<s4>, f32 #qc.per_axis<0>>
  // The verifier's words for #qc.hadamard<188> (test/Dialect/QC/invalid.mlir).
  // expected-remark @+1 {{no rotation inserted: K = 188: no Hadamard base of order at most 1024 covers size 188 = 47 * 4; qc builds no base of order 47 * 2^j (it has Paley I and II for prime powers and Williamson for n = 23, 29, 39, 43); the nearest sizes that work are 184 = 92 * 2, williamson = 23 and 192 = 12 * 16, paley1 = 11}}
  %y = qc.matmul %qa, %qw : !qc.qtensor<?x188, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<4x188, #qc.int<s4>, f32 #qc.per_axis<0>> -> tensor<?x4xf32>
  %qb = qc.quantize %x2 : tensor<?x8xf32> -> !qc.qtensor<?x8, #qc.int<s8>, f32 #qc.per_axis<0>>
  // expected-remark @+1 {{no rotation inserted: the weight is not qc.quantize of a float constant}}
  %y2 = qc.matmul %qb, %q : !qc.qtensor<?x8, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<4x8, #qc.int<s4>, f32 #qc.per_axis<0>> -> tensor<?x4xf32>
  %w8 = arith.constant dense<0.25> : tensor<4x8xf32>
  %qw8 = qc.quantize %w8 scales(%s : tensor<4xf32>) : tensor<4x8xf32> -> !qc.qtensor<4x8, #qc.int<s4>, f32 #qc.per_axis<0>>
  // expected-remark @+1 {{no rotation inserted: a quantizer has given scales, which were chosen for the unrotated values}}
  %y3 = qc.matmul %qb, %qw8 : !qc.qtensor<?x8, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<4x8, #qc.int<s4>, f32 #qc.per_axis<0>> -> tensor<?x4xf32>
  return %y, %y2, %y3 : tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>
}
