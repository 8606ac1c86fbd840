// qc-fuse-rotations: which rotations it absorbs, where, and why it leaves the
// others online. (Its exactness is checked numerically by
// test/Integration/QC/fuse_mlp.mlir.)
// RUN: qc-opt %s --qc-fuse-rotations=remarks --split-input-file -verify-diagnostics=only-expected | FileCheck %s
// One summary remark per module, in the order of the cases below.
// RUN: qc-opt %s --qc-fuse-rotations=remarks --split-input-file -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SUMMARY
// SUMMARY: qc-fuse-rotations: 1 rotation(s) absorbed into weights, 0 cancelled with their inverse, 0 moved through a norm or add, 0 norm weight(s) folded; 0 left online
// SUMMARY: qc-fuse-rotations: 1 rotation(s) absorbed into weights, 0 cancelled with their inverse, 0 moved through a norm or add, 0 norm weight(s) folded; 0 left online
// SUMMARY: qc-fuse-rotations: 0 rotation(s) absorbed into weights, 2 cancelled with their inverse, 0 moved through a norm or add, 0 norm weight(s) folded; 2 left online
// SUMMARY: qc-fuse-rotations: 0 rotation(s) absorbed into weights, 0 cancelled with their inverse, 0 moved through a norm or add, 0 norm weight(s) folded; 3 left online
// SUMMARY: qc-fuse-rotations: 0 rotation(s) absorbed into weights, 0 cancelled with their inverse, 0 moved through a norm or add, 0 norm weight(s) folded; 1 left online
// SUMMARY: qc-fuse-rotations: 0 rotation(s) absorbed into weights, 0 cancelled with their inverse, 0 moved through a norm or add, 0 norm weight(s) folded; 1 left online
// SUMMARY: qc-fuse-rotations: 2 rotation(s) absorbed into weights, 0 cancelled with their inverse, 1 moved through a norm or add, 0 norm weight(s) folded; 0 left online
// SUMMARY: qc-fuse-rotations: 0 rotation(s) absorbed into weights, 0 cancelled with their inverse, 0 moved through a norm or add, 0 norm weight(s) folded; 1 left online
// SUMMARY: qc-fuse-rotations: 1 rotation(s) absorbed into weights, 0 cancelled with their inverse, 1 moved through a norm or add, 0 norm weight(s) folded; 0 left online
// SUMMARY: qc-fuse-rotations: 2 rotation(s) absorbed into weights, 0 cancelled with their inverse, 0 moved through a norm or add, 0 norm weight(s) folded; 0 left online
// SUMMARY: qc-fuse-rotations: 0 rotation(s) absorbed into weights, 0 cancelled with their inverse, 0 moved through a norm or add, 0 norm weight(s) folded; 1 left online
// Without `remarks` the pass says nothing (the same output).
// RUN: qc-opt %s --qc-fuse-rotations --split-input-file -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=QUIET --allow-empty
// QUIET-NOT: remark:

// Reader: the rotation goes into the weight (a new f32 constant); the
// matmul reads x directly.
// CHECK-LABEL: func.func @reader(
// CHECK-SAME: %[[X:.*]]: tensor<?x8xf32>
// CHECK-NOT: qc.rotate
// CHECK: %[[W:.*]] = arith.constant dense<{{.*}}> : tensor<4x8xf32>
// CHECK: qc.matmul %[[X]], %[[W]]
func.func @reader(%x: tensor<?x8xf32>) -> tensor<?x4xf32> {
  %w = arith.constant dense<1.0> : tensor<4x8xf16>
  %r = qc.rotate %x by #qc.hadamard<8> along 1 : tensor<?x8xf32>
  %y = qc.matmul %r, %w : tensor<?x8xf32>, tensor<4x8xf16> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// Writer: weight and bias absorb the rotation of the Linear's result.
// CHECK-LABEL: func.func @writer(
// CHECK-NOT: qc.rotate
// CHECK: %[[Y:.*]] = qc.matmul %{{.*}}, %{{.*}} bias(%{{.*}} : tensor<8xf32>)
// CHECK: return %[[Y]]
func.func @writer(%h: tensor<?x4xf32>) -> tensor<?x8xf32> {
  %w = arith.constant dense<0.5> : tensor<8x4xf32>
  %b = arith.constant dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]> : tensor<8xf32>
  %y = qc.matmul %h, %w bias(%b : tensor<8xf32>) : tensor<?x4xf32>, tensor<8x4xf32> -> tensor<?x8xf32>
  %r = qc.rotate %y by #qc.hadamard<8, seed = 1> along 1 : tensor<?x8xf32>
  return %r : tensor<?x8xf32>
}

// -----

// Cancel: Q then Q^T; a symmetric Q twice. A non-symmetric Q twice stays.
// CHECK-LABEL: func.func @cancel(
// CHECK-SAME: %[[X:.*]]: tensor<2x12xf32>
// CHECK: %[[K:.*]] = qc.rotate %[[X]] by #qc.hadamard<12, paley1 = 11> along 1
// CHECK: %[[K2:.*]] = qc.rotate %[[K]] by #qc.hadamard<12, paley1 = 11> along 1
// CHECK: return %[[X]], %[[X]], %[[K2]]
func.func @cancel(%x: tensor<2x12xf32>) -> (tensor<2x12xf32>, tensor<2x12xf32>, tensor<2x12xf32>) {
  %a = qc.rotate %x by #qc.hadamard<12, paley1 = 11> along 1 : tensor<2x12xf32>
  %b = qc.rotate %a by #qc.hadamard<12, paley1 = 11> along 1 transpose : tensor<2x12xf32>
  %c = qc.rotate %x by #qc.hadamard<2> along 0 : tensor<2x12xf32>
  %d = qc.rotate %c by #qc.hadamard<2> along 0 : tensor<2x12xf32>
  // expected-remark @+1 {{rotation left online: its operand is a block argument}}
  %e = qc.rotate %x by #qc.hadamard<12, paley1 = 11> along 1 : tensor<2x12xf32>
  // expected-remark @+1 {{rotation left online: its operand comes from 'qc.rotate', which rotations do not commute with (no nonlinearity)}}
  %f = qc.rotate %e by #qc.hadamard<12, paley1 = 11> along 1 : tensor<2x12xf32>
  return %b, %d, %f : tensor<2x12xf32>, tensor<2x12xf32>, tensor<2x12xf32>
}

// -----

// Never across a nonlinearity or a quantizer, nor into a quantized weight.
func.func @blocked(%x: tensor<?x8xf32>, %q: !qc.qtensor<4x8, #qc.int<s4>, f32 #qc.per_axis<0>>) -> (tensor<?x8xf32>, tensor<?x4xf32>, tensor<?x8xf32>) {
  %t = math.tanh %x : tensor<?x8xf32>
  // expected-remark @+1 {{rotation left online: its operand comes from 'math.tanh', which rotations do not commute with (no nonlinearity)}}
  %r = qc.rotate %t by #qc.hadamard<8> along 1 : tensor<?x8xf32>
  // expected-remark @+1 {{rotation left online: its operand is a block argument; and it is read by 'qc.matmul', not only by float Linear layers}}
  %s = qc.rotate %x by #qc.hadamard<8> along 1 : tensor<?x8xf32>
  %y = qc.matmul %s, %q : tensor<?x8xf32>, !qc.qtensor<4x8, #qc.int<s4>, f32 #qc.per_axis<0>> -> tensor<?x4xf32>
  %qx = qc.quantize %x : tensor<?x8xf32> -> !qc.qtensor<?x8, #qc.int<s8>, f32 #qc.per_axis<0>>
  %dx = qc.dequantize %qx : !qc.qtensor<?x8, #qc.int<s8>, f32 #qc.per_axis<0>> -> tensor<?x8xf32>
  // expected-remark @+1 {{rotation left online: its operand comes from 'qc.dequantize': rotations never cross a quantizer}}
  %u = qc.rotate %dx by #qc.hadamard<8> along 1 : tensor<?x8xf32>
  return %r, %y, %u : tensor<?x8xf32>, tensor<?x4xf32>, tensor<?x8xf32>
}

// -----

// A norm with a weight is not crossed; its weight is folded only when every
// reader is a float Linear layer.
func.func @norm(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %g = arith.constant dense<2.0> : tensor<8xf32>
  %n = qc.rms_norm %x weight(%g : tensor<8xf32>) epsilon(1.0e-05) : tensor<?x8xf32>
  // expected-remark @+1 {{rotation left online: its operand is an rms_norm whose weight could not be folded into its readers}}
  %r = qc.rotate %n by #qc.hadamard<8> along 1 : tensor<?x8xf32>
  return %r : tensor<?x8xf32>
}

// -----

// Only the last axis.
func.func @axis(%x: tensor<8x4xf32>) -> tensor<8x4xf32> {
  // expected-remark @+1 {{rotation left online: only rotations along the last axis are fused}}
  %r = qc.rotate %x by #qc.hadamard<8> along 0 : tensor<8x4xf32>
  return %r : tensor<8x4xf32>
}

// -----

// Through a residual add of two Linear layers: each absorbs the rotation.
// CHECK-LABEL: func.func @residual(
// CHECK-NOT: qc.rotate
// CHECK: %[[A:.*]] = qc.matmul
// CHECK: %[[B:.*]] = qc.matmul
// CHECK: arith.addf %[[A]], %[[B]]
func.func @residual(%h: tensor<?x4xf32>, %g: tensor<?x4xf32>) -> tensor<?x8xf32> {
  %w = arith.constant dense<0.5> : tensor<8x4xf32>
  %v = arith.constant dense<0.25> : tensor<8x4xf32>
  %a = qc.matmul %h, %w : tensor<?x4xf32>, tensor<8x4xf32> -> tensor<?x8xf32>
  %b = qc.matmul %g, %v : tensor<?x4xf32>, tensor<8x4xf32> -> tensor<?x8xf32>
  %s = arith.addf %a, %b : tensor<?x8xf32>
  %r = qc.rotate %s by #qc.hadamard<8, seed = 2> along 1 : tensor<?x8xf32>
  return %r : tensor<?x8xf32>
}

// -----

// An add whose other operand is a block argument would need a second
// online rotation: left alone.
func.func @residual_blocked(%h: tensor<?x4xf32>, %x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %w = arith.constant dense<0.5> : tensor<8x4xf32>
  %a = qc.matmul %h, %w : tensor<?x4xf32>, tensor<8x4xf32> -> tensor<?x8xf32>
  %s = arith.addf %a, %x : tensor<?x8xf32>
  // expected-remark @+1 {{rotation left online: its operand is an arith.addf whose operands would not both absorb it (it would become two online rotations)}}
  %r = qc.rotate %s by #qc.hadamard<8> along 1 : tensor<?x8xf32>
  return %r : tensor<?x8xf32>
}

// -----

// A permutation commutes with tanh (and any elementwise op): it moves to
// tanh's operand and the writer there absorbs it (rows p = [2, 0, 3, 1]).
// CHECK-LABEL: func.func @permutation_through_tanh(
// CHECK-NOT: qc.rotate
// CHECK: %[[W:.*]] = arith.constant dense<{{\[}}[3.000000e+00, 0.000000e+00], [1.000000e+00, 0.000000e+00], [4.000000e+00, 0.000000e+00], [2.000000e+00, 0.000000e+00]]>
// CHECK: %[[A:.*]] = qc.matmul %arg0, %[[W]]
// CHECK: math.tanh %[[A]]
func.func @permutation_through_tanh(%x: tensor<?x2xf32>) -> tensor<?x4xf32> {
  %w = arith.constant dense<[[1.0, 0.0], [2.0, 0.0], [3.0, 0.0], [4.0, 0.0]]> : tensor<4x2xf32>
  %a = qc.matmul %x, %w : tensor<?x2xf32>, tensor<4x2xf32> -> tensor<?x4xf32>
  %t = math.tanh %a : tensor<?x4xf32>
  %p = qc.rotate %t by #qc.permutation<[2, 0, 3, 1]> along 1 : tensor<?x4xf32>
  return %p : tensor<?x4xf32>
}

// -----

// A permutation composed with a Hadamard: both fold into the reader,
// W <- W P^T H^T: [1, 2, 3, 4] gathered by p^-1 = [1, 3, 0, 2] is
// [2, 4, 1, 3], times H_4 / 2 is [5, -2, 1, 0].
// CHECK-LABEL: func.func @permutation_and_hadamard(
// CHECK-NOT: qc.rotate
// CHECK: arith.constant dense<{{\[}}[5.000000e+00, -2.000000e+00, 1.000000e+00, 0.000000e+00]]>
func.func @permutation_and_hadamard(%x: tensor<?x4xf32>) -> tensor<?x1xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0, 4.0]]> : tensor<1x4xf32>
  %h = qc.rotate %x by #qc.hadamard<4> along 1 : tensor<?x4xf32>
  %p = qc.rotate %h by #qc.permutation<[2, 0, 3, 1]> along 1 : tensor<?x4xf32>
  %y = qc.matmul %p, %w : tensor<?x4xf32>, tensor<1x4xf32> -> tensor<?x1xf32>
  return %y : tensor<?x1xf32>
}

// -----

func.func @permutation_blocked(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %t = math.tanh %x : tensor<?x4xf32>
  // expected-remark @+1 {{rotation left online: its operand comes from 'math.tanh', an elementwise op whose operands would not all absorb the permutation}}
  %p = qc.rotate %t by #qc.permutation<[2, 0, 3, 1]> along 1 : tensor<?x4xf32>
  return %p : tensor<?x4xf32>
}
