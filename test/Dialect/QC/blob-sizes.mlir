// A dense_resource blob must hold exactly the bytes its type needs: the
// qc.constant verifier checks its parts, and every pass that reads constant
// data checks every blob (arith.constant included) before it reads one.
// RUN: qc-opt %s -split-input-file -verify-diagnostics -o /dev/null
// RUN: not qc-opt %s -split-input-file --qc-quantize-constants -o /dev/null 2>&1 | FileCheck %s --check-prefix=PASS
// RUN: not qc-opt %s -split-input-file --qc-fuse-rotations -o /dev/null 2>&1 | FileCheck %s --check-prefix=PASS
// RUN: not qc-opt %s -split-input-file --qc-insert-rotations -o /dev/null 2>&1 | FileCheck %s --check-prefix=PASS
// RUN: not qc-opt %s -split-input-file --qc-cpu-repack-weights -o /dev/null 2>&1 | FileCheck %s --check-prefix=PASS
// RUN: not qc-opt %s -split-input-file --convert-qc-to-cpu -o /dev/null 2>&1 | FileCheck %s --check-prefix=PASS
// RUN: not qc-opt %s -split-input-file --qc-reference-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=PASS
// RUN: not qc-opt %s -split-input-file --qc-cpu-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=PASS

// The verifier: each part of a qc.constant.
func.func @codes() {
  // expected-error @+1 {{'qc.constant' op codes: the dense_resource blob 'c' holds 4 bytes where tensor<64xi8> needs 64}}
  %w = qc.constant codes(dense_resource<c> : tensor<64xi8>) scales(dense<1.0> : tensor<2x2xf32>) : !qc.qtensor<2x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>>
  return
}
{-#
  dialect_resources: {
    builtin: {
      c: "0x0800000001020304"
    }
  }
#-}

// -----

func.func @scales() {
  // expected-error @+1 {{'qc.constant' op scales: the dense_resource blob 's' holds 10 bytes where tensor<2x2xf16> needs 8}}
  %w = qc.constant codes(dense<0> : tensor<64xi8>) scales(dense_resource<s> : tensor<2x2xf16>) : !qc.qtensor<2x64, #qc.int<s4>, f16 #qc.per_block<[1, 32]>>
  return
}
{-#
  dialect_resources: {
    builtin: {
      s: "0x0200000000000000000000000000"
    }
  }
#-}

// -----

func.func @zero_points() {
  // expected-error @+1 {{'qc.constant' op zero_points: the dense_resource blob 'z' holds 0 bytes where tensor<i8> needs 1}}
  %w = qc.constant codes(dense<0> : tensor<8xi8>) scales(dense<1.0> : tensor<f32>) zero_points(dense_resource<z> : tensor<i8>) : !qc.qtensor<16, #qc.int<u4>, f32 #qc.per_tensor, zero_point i8>
  return
}
{-#
  dialect_resources: {
    builtin: {
      z: "0x01000000"
    }
  }
#-}

// -----

// An elided blob verifies: a pass that needs its bytes says so then.
func.func @elided() {
  %w = qc.constant codes(dense_resource<__elided__> : tensor<64xi8>) scales(dense<1.0> : tensor<2x2xf32>) : !qc.qtensor<2x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>>
  return
}

// -----

// Upstream does not check an arith.constant's blob; the passes do, at the
// op, before any of them reads it (the verifier alone accepts this case).
// PASS: error: 'arith.constant' op attribute 'value': the dense_resource blob 'w' holds 4 bytes where tensor<2x64xf32> needs 512
func.func @float_weight(%a: tensor<?x64xf32>, %x: !qc.qtensor<?x64, #qc.int<s8>, f32 #qc.per_axis<0>>) -> (tensor<?x2xf32>, tensor<?x2xf32>) {
  %c = arith.constant dense_resource<w> : tensor<2x64xf32>
  %q = qc.quantize %c : tensor<2x64xf32> -> !qc.qtensor<2x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>>
  %y = qc.matmul %a, %q : tensor<?x64xf32>, !qc.qtensor<2x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>> -> tensor<?x2xf32>
  %r = qc.rotate %a by #qc.hadamard<64> along 1 : tensor<?x64xf32>
  %z = qc.matmul %r, %c : tensor<?x64xf32>, tensor<2x64xf32> -> tensor<?x2xf32>
  return %y, %z : tensor<?x2xf32>, tensor<?x2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      w: "0x0400000000000000"
    }
  }
#-}
