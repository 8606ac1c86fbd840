// Folds of qc.assemble and qc.disassemble.
// RUN: qc-opt %s -canonicalize -split-input-file | FileCheck %s

// disassemble(assemble(c, s, z)) folds to (c, s, z).
// CHECK-LABEL: func.func @disassemble_of_assemble(
// CHECK-SAME: %[[C:.*]]: tensor<64x128xi4>, %[[S:.*]]: tensor<64x4xf16>, %[[Z:.*]]: tensor<64x4xi8>)
// CHECK-NEXT: return %[[C]], %[[S]], %[[Z]]
func.func @disassemble_of_assemble(%c: tensor<64x128xi4>, %s: tensor<64x4xf16>, %z: tensor<64x4xi8>)
    -> (tensor<64x128xi4>, tensor<64x4xf16>, tensor<64x4xi8>) {
  %q = qc.assemble %c, %s zero_points %z : !qc.qtensor<64x128, #qc.int<u4>, f16 #qc.per_block<[1, 32]>, zero_point i8>
  %parts:3 = qc.disassemble %q : !qc.qtensor<64x128, #qc.int<u4>, f16 #qc.per_block<[1, 32]>, zero_point i8>
  return %parts#0, %parts#1, %parts#2 : tensor<64x128xi4>, tensor<64x4xf16>, tensor<64x4xi8>
}

// -----

// assemble(disassemble(q)) folds to q.
// CHECK-LABEL: func.func @assemble_of_disassemble(
// CHECK-SAME: %[[Q:.*]]: !qc.qtensor
// CHECK-NEXT: return %[[Q]]
func.func @assemble_of_disassemble(%q: !qc.qtensor<16x32, #qc.nf4, f32 #qc.per_block<[1, 16]>, outer f32 #qc.per_tensor>)
    -> !qc.qtensor<16x32, #qc.nf4, f32 #qc.per_block<[1, 16]>, outer f32 #qc.per_tensor> {
  %c, %s, %o = qc.disassemble %q : !qc.qtensor<16x32, #qc.nf4, f32 #qc.per_block<[1, 16]>, outer f32 #qc.per_tensor>
  %r = qc.assemble %c, %s outer_scales %o : !qc.qtensor<16x32, #qc.nf4, f32 #qc.per_block<[1, 16]>, outer f32 #qc.per_tensor>
  return %r : !qc.qtensor<16x32, #qc.nf4, f32 #qc.per_block<[1, 16]>, outer f32 #qc.per_tensor>
}

// -----

// Reassembling the parts of one tensor with the scales of another is not a
// round trip and must stay.
// CHECK-LABEL: func.func @mixed_parts_stay(
// CHECK: %[[P:.*]]:2 = qc.disassemble
// CHECK: qc.assemble %[[P]]#0, %{{.*}} :
func.func @mixed_parts_stay(%q: !qc.qtensor<4x8, #qc.int<s4>, f32 #qc.per_tensor>, %s: tensor<f32>)
    -> !qc.qtensor<4x8, #qc.int<s4>, f32 #qc.per_tensor> {
  %c, %unused = qc.disassemble %q : !qc.qtensor<4x8, #qc.int<s4>, f32 #qc.per_tensor>
  %r = qc.assemble %c, %s : !qc.qtensor<4x8, #qc.int<s4>, f32 #qc.per_tensor>
  return %r : !qc.qtensor<4x8, #qc.int<s4>, f32 #qc.per_tensor>
}

// -----

// Same codes and scales, but reinterpreted under another grid: not a no-op.
// CHECK-LABEL: func.func @reinterpretation_stays(
// CHECK: qc.disassemble
// CHECK: qc.assemble
func.func @reinterpretation_stays(%q: !qc.qtensor<4x8, #qc.int<s4>, f32 #qc.per_tensor>)
    -> !qc.qtensor<4x8, #qc.int<u4>, f32 #qc.per_tensor> {
  %c, %s = qc.disassemble %q : !qc.qtensor<4x8, #qc.int<s4>, f32 #qc.per_tensor>
  %r = qc.assemble %c, %s : !qc.qtensor<4x8, #qc.int<u4>, f32 #qc.per_tensor>
  return %r : !qc.qtensor<4x8, #qc.int<u4>, f32 #qc.per_tensor>
}

// -----

// Unused pure ops disappear.
// CHECK-LABEL: func.func @dead_ops(
// CHECK-NEXT: return
func.func @dead_ops(%x: tensor<4x8xf32>) {
  %q = qc.quantize %x : tensor<4x8xf32> -> !qc.qtensor<4x8, #qc.int<s8>, f32 #qc.per_tensor>
  %y = qc.dequantize %q : !qc.qtensor<4x8, #qc.int<s8>, f32 #qc.per_tensor> -> tensor<4x8xf32>
  return
}

// -----

// qc.constant is ConstantLike: two equal constants become one, hoisted to
// the entry block; m_Constant sees it (a discardable dialect attribute is
// allowed).
// CHECK-LABEL: func.func @constants(
// CHECK-NEXT: %[[K:.*]] = qc.constant codes(dense<[1, 2, 3, 4]> : tensor<4xi8>) scales(dense<5.000000e-01> : tensor<f32>)
// CHECK-NOT: qc.constant
// CHECK: return %[[K]], %[[K]]
func.func @constants(%c: i1) -> (!qc.qtensor<4, #qc.int<s8>, f32 #qc.per_tensor>, !qc.qtensor<4, #qc.int<s8>, f32 #qc.per_tensor>) {
  %a = qc.constant codes(dense<[1, 2, 3, 4]> : tensor<4xi8>) scales(dense<0.5> : tensor<f32>) : !qc.qtensor<4, #qc.int<s8>, f32 #qc.per_tensor>
  %b = scf.if %c -> !qc.qtensor<4, #qc.int<s8>, f32 #qc.per_tensor> {
    %k = qc.constant codes(dense<[1, 2, 3, 4]> : tensor<4xi8>) scales(dense<0.5> : tensor<f32>) {test.note} : !qc.qtensor<4, #qc.int<s8>, f32 #qc.per_tensor>
    scf.yield %k : !qc.qtensor<4, #qc.int<s8>, f32 #qc.per_tensor>
  } else {
    scf.yield %a : !qc.qtensor<4, #qc.int<s8>, f32 #qc.per_tensor>
  }
  return %a, %b : !qc.qtensor<4, #qc.int<s8>, f32 #qc.per_tensor>, !qc.qtensor<4, #qc.int<s8>, f32 #qc.per_tensor>
}
