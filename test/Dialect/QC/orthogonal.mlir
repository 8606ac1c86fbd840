// #qc.orthogonal with a dense_resource matrix: it round-trips, its entries
// are checked by qc.rotate's verifier once the blob is read (a bad matrix, a
// NaN, a missing blob are errors), and the reference lowering rotates by it.
// RUN: qc-opt %s --split-input-file -verify-diagnostics | FileCheck %s
// RUN: qc-opt %s --split-input-file -verify-diagnostics --mlir-print-op-generic \
// RUN:   | qc-opt --split-input-file | FileCheck %s
// RUN: qc-opt %s --split-input-file -verify-diagnostics --qc-reference-pipeline \
// RUN:   | FileCheck %s --check-prefix=LOWERED

// CHECK-LABEL: func.func @resource(
// CHECK: qc.rotate %{{.*}} by #qc.orthogonal<dense_resource<q2> : tensor<2x2xf64>> along 1 : tensor<3x2xf32>
// CHECK: q2: "0x08000000333333333333E33F9A9999999999E93F9A9999999999E9BF333333333333E33F"
// LOWERED-LABEL: llvm.func @resource(
func.func @resource(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %y = qc.rotate %x by #qc.orthogonal<dense_resource<q2> : tensor<2x2xf64>> along 1 : tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      q2: "0x08000000333333333333E33F9A9999999999E93F9A9999999999E9BF333333333333E33F"
    }
  }
#-}

// -----

func.func @not_orthogonal(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  // expected-error @+1 {{'qc.rotate' op matrix is not orthogonal: max |Q Q^T - I| = 5.000000e-01 > 1.000000e-12}}
  %y = qc.rotate %x by #qc.orthogonal<dense_resource<skew> : tensor<2x2xf64>> along 1 : tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      skew: "0x08000000000000000000F03F000000000000E03F0000000000000000000000000000F03F"
    }
  }
#-}

// -----

func.func @missing(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  // expected-error @+1 {{'qc.rotate' op orthogonal matrix entries cannot be read: the dense_resource blob 'nowhere' is elided or not defined in the file}}
  %y = qc.rotate %x by #qc.orthogonal<dense_resource<nowhere> : tensor<2x2xf64>> along 1 : tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

func.func @short_blob(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  // expected-error @+1 {{orthogonal matrix entries cannot be read: the dense_resource blob 'short' holds 8 bytes where tensor<2x2xf64> needs 32}}
  %y = qc.rotate %x by #qc.orthogonal<dense_resource<short> : tensor<2x2xf64>> along 1 : tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      short: "0x08000000333333333333E33F"
    }
  }
#-}

// -----

// expected-error @+1 {{orthogonal matrix has a non-finite entry (nan)}}
func.func private @f() attributes {r = #qc.orthogonal<dense<[[0x7FF8000000000000, 0.0], [0.0, 1.0]]> : tensor<2x2xf64>>}

// -----

// expected-error @+1 {{orthogonal matrix must be a dense or dense_resource attribute}}
func.func private @f() attributes {r = #qc.orthogonal<sparse<[[0, 0], [1, 1]], [1.0, 1.0]> : tensor<2x2xf64>>}
