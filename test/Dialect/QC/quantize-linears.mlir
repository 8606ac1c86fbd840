// qc-quantize-linears: every float Linear layer in one format, except those
// skipped by name or attribute; and its errors.
// RUN: qc-opt %s --split-input-file -verify-diagnostics=only-expected \
// RUN:   --qc-quantize-linears='weight-format="#qc.int<s4>, f16 #qc.per_block<[1, 32]>" act-format="#qc.int<s8>, f32 #qc.per_axis<0>" skip="^lm_head$" remarks' \
// RUN:   | FileCheck %s

// CHECK-LABEL: func.func @layers
// CHECK: %[[W:.*]] = qc.quantize %{{.*}} method<absmax> : tensor<32x64xf32> -> !qc.qtensor<32x64, #qc.int<s4>, f16 #qc.per_block<[1, 32]>>
// CHECK: %[[X:.*]] = qc.quantize %arg0 : tensor<?x64xf32> -> !qc.qtensor<?x64, #qc.int<s8>, f32 #qc.per_axis<0>>
// CHECK: qc.matmul %[[X]], %[[W]] {qc.name = "up"}
// Skipped by name and by attribute: they stay float.
// CHECK: qc.matmul %{{.*}}, %{{.*}} {qc.name = "lm_head"} : tensor<?x32xf32>, tensor<8x32xf32>
// CHECK: qc.matmul %{{.*}}, %{{.*}} {qc.skip} : tensor<?x32xf32>, tensor<8x32xf32>
func.func @layers(%x: tensor<?x64xf32>) -> (tensor<?x8xf32>, tensor<?x8xf32>) {
  %w1 = arith.constant dense<0.5> : tensor<32x64xf32>
  %w2 = arith.constant dense<0.25> : tensor<8x32xf32>
  // expected-remark @+1 {{'up' quantized as #qc.int<s4>, f16 #qc.per_block<[1, 32]> act #qc.int<s8>, f32 #qc.per_axis<0>}}
  %h = qc.matmul %x, %w1 {qc.name = "up"} : tensor<?x64xf32>, tensor<32x64xf32> -> tensor<?x32xf32>
  %y = qc.matmul %h, %w2 {qc.name = "lm_head"} : tensor<?x32xf32>, tensor<8x32xf32> -> tensor<?x8xf32>
  %z = qc.matmul %h, %w2 {qc.skip} : tensor<?x32xf32>, tensor<8x32xf32> -> tensor<?x8xf32>
  return %y, %z : tensor<?x8xf32>, tensor<?x8xf32>
}

// -----

// A layer the format does not fit: an error naming it, and nothing changes
// (the first layer, which fits, is not quantized either: every layer is
// checked before any is rewritten).
func.func @does_not_fit(%x: tensor<?x64xf32>) -> tensor<?x8xf32> {
  %w1 = arith.constant dense<0.5> : tensor<48x64xf32>
  %w2 = arith.constant dense<0.25> : tensor<8x48xf32>
  %h = qc.matmul %x, %w1 : tensor<?x64xf32>, tensor<48x64xf32> -> tensor<?x48xf32>
  // expected-error @+1 {{layer 'matmul1' (8 x 48) cannot take the format #qc.int<s4>, f16 #qc.per_block<[1, 32]> act #qc.int<s8>, f32 #qc.per_axis<0>: per_block block size 32 does not divide dimension 1 of size 48}}
  %y = qc.matmul %h, %w2 : tensor<?x48xf32>, tensor<8x48xf32> -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}

// -----

// Option errors.
// RUN: not qc-opt %s --split-input-file --qc-quantize-linears 2>&1 | FileCheck %s --check-prefix=NOFORMAT
// NOFORMAT: error: qc-quantize-linears: give the weights' format, weight-format="#qc.int<s4>, f16 #qc.per_block<[1, 128]>"
// RUN: not qc-opt %s --split-input-file --qc-quantize-linears='weight-format="#qc.int<s4>, f16 #qc.per_tensor; #qc.int<s8>, f16 #qc.per_tensor"' 2>&1 | FileCheck %s --check-prefix=TWO
// TWO: error: qc-quantize-linears: weight-format names 2 formats; one format for every layer is all this pass does (qc-allocate-bits chooses among several under a budget)
// RUN: not qc-opt %s --split-input-file --qc-quantize-linears='weight-format="#qc.int<s4> f16 #qc.per_tensor"' 2>&1 | FileCheck %s --check-prefix=SYNTAX
// SYNTAX: error: 'weight-format': expected ',' after the grid at 'f16 #qc.per_tensor'
// RUN: not qc-opt %s --split-input-file --qc-quantize-linears='weight-format="#qc.per_tensor, f16 #qc.per_tensor"' 2>&1 | FileCheck %s --check-prefix=GRID
// GRID: error: 'weight-format': expected a grid (#qc.int<s4>, #qc.nf4, ...) starting a format
// RUN: not qc-opt %s --split-input-file --qc-quantize-linears='weight-format="#qc.int<s4>, f16 #qc.per_tensor" skip="(("' 2>&1 | FileCheck %s --check-prefix=REGEX
// REGEX: error: 'skip': not a regular expression
func.func private @nothing()
