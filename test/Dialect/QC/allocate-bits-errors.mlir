// qc-allocate-bits' errors: impossible budgets (naming the smallest
// feasible value), tied layers that share no format, and malformed options
// and attributes; the pass fails without rewriting anything.

// The budget below every layer at its cheapest format.
func.func @infeasible(%x: tensor<?x128xf32>) -> tensor<?x8xf32> {
  %w = arith.constant dense<0.5> : tensor<8x128xf32>
  %a = qc.matmul %x, %w : tensor<?x128xf32>, tensor<8x128xf32> -> tensor<?x8xf32>
  return %a : tensor<?x8xf32>
}
// RUN: not qc-opt %s --split-input-file --qc-allocate-bits='formats="#qc.int<s4>, f16 #qc.per_block<[1, 128]>" avg-bits=4' -o /dev/null 2>&1 | FileCheck %s --check-prefix=BUDGET
// BUDGET: error: qc-allocate-bits: the avg-bits limit 4 is below the smallest feasible avg-bits 4.125 (every unit at its cheapest candidate)

// -----

// Tied layers that share no format they can both take (K = 128 takes only
// groups of 128, K = 96 only groups of 96).
// RUN: not qc-opt %s --split-input-file --qc-allocate-bits='formats="#qc.int<s4>, f16 #qc.per_block<[1, 128]>; #qc.int<s4>, f16 #qc.per_block<[1, 96]>" avg-bits=8' -o /dev/null 2>&1 | FileCheck %s --check-prefix=TIE
// TIE: error: qc-allocate-bits: the tied units 'p', 'q' share no candidate that each of them can take
func.func @tie_infeasible(%x: tensor<?x128xf32>, %y: tensor<?x96xf32>) -> (tensor<?x8xf32>, tensor<?x8xf32>) {
  %w = arith.constant dense<0.5> : tensor<8x128xf32>
  %v = arith.constant dense<0.5> : tensor<8x96xf32>
  %a = qc.matmul %x, %w {qc.name = "p", qc.tie = "t"} : tensor<?x128xf32>, tensor<8x128xf32> -> tensor<?x8xf32>
  %b = qc.matmul %y, %v {qc.name = "q", qc.tie = "t"} : tensor<?x96xf32>, tensor<8x96xf32> -> tensor<?x8xf32>
  return %a, %b : tensor<?x8xf32>, tensor<?x8xf32>
}

// -----

// Errors in the options and the attributes, each naming what is wrong.
// RUN: not qc-opt %s --split-input-file --qc-allocate-bits='avg-bits=4' -o /dev/null 2>&1 | FileCheck %s --check-prefix=NOFORMATS
// NOFORMATS: error: qc-allocate-bits: no candidate formats: give formats="#qc.int<s4>, f16 #qc.per_block<[1, 128]>; ..."
// RUN: not qc-opt %s --split-input-file --qc-allocate-bits='formats="#qc.int<s4>, f16 #qc.per_tensor"' -o /dev/null 2>&1 | FileCheck %s --check-prefix=NOBUDGET
// NOBUDGET: error: qc-allocate-bits: give a budget: avg-bits > 0, max-bytes > 0, or cost-attr with max-cost > 0 (any of them together)
// RUN: not qc-opt %s --split-input-file --qc-allocate-bits='formats="#qc.int<s4>, f16 #qc.per_tensor" max-bytes=100 sensitivity=attr' -o /dev/null 2>&1 | FileCheck %s --check-prefix=SENS
// SENS: error: qc-allocate-bits{sensitivity=attr}: layer 'l' needs a 'qc.sensitivity' attribute: one finite number >= 0
// RUN: not qc-opt %s --split-input-file --qc-allocate-bits='formats="#qc.int<s4>, f16 #qc.per_tensor" max-bytes=100 cost-attr=qc.latency max-cost=1' -o /dev/null 2>&1 | FileCheck %s --check-prefix=COSTATTR
// COSTATTR: error: qc-allocate-bits: layer 'l' has no 'qc.latency' attribute (one number per candidate format, 1 in all)
// RUN: not qc-opt %s --split-input-file --qc-allocate-bits='formats="#qc.int<s4>, f16 #qc.per_tensor; #qc.int<s8>, f16 #qc.per_tensor" max-bytes=100' -o /dev/null 2>&1 | FileCheck %s --check-prefix=LOSS
// LOSS: error: qc-allocate-bits: layer 'l': 'qc.loss' must hold 2 finite numbers >= 0 (one per candidate format), got [1.000000e+00, 2.000000e+00, 3.000000e+00]
// RUN: not qc-opt %s --split-input-file --qc-allocate-bits='formats="#qc.int<s4>, f16 #qc.per_tensor" max-bytes=100 importance' -o /dev/null 2>&1 | FileCheck %s --check-prefix=IMPORTANCE
// IMPORTANCE: error: qc-allocate-bits{importance}: layer 'l' needs a 'qc.act_sq_sum' attribute of 4 finite values >= 0 (diag(X^T X) of its activation)
// RUN: not qc-opt %s --split-input-file --qc-allocate-bits='formats="#qc.int<s4>, f16 #qc.per_tensor" max-bytes=100 summary=/nonexistent/dir/s.json' -o /dev/null 2>&1 | FileCheck %s --check-prefix=SUMMARY
// SUMMARY: error: qc-allocate-bits: cannot write the summary to '/nonexistent/dir/s.json'
// RUN: not qc-opt %s --split-input-file --qc-allocate-bits='formats="#qc.int<s4>, f16 #qc.per_tensor" max-bytes=3' -o /dev/null 2>&1 | FileCheck %s --check-prefix=BYTES
// (2 x 4 codes of 4 bits and one f16 scale: 6 bytes.)
// BYTES: error: qc-allocate-bits: the bytes limit 3 is below the smallest feasible bytes 6 (every unit at its cheapest candidate)
func.func @errors(%x: tensor<?x4xf32>) -> tensor<?x2xf32> {
  %w = arith.constant dense<0.5> : tensor<2x4xf32>
  %a = qc.matmul %x, %w {qc.name = "l"} : tensor<?x4xf32>, tensor<2x4xf32> -> tensor<?x2xf32>
  return %a : tensor<?x2xf32>
}

// -----

func.func @bad_loss(%x: tensor<?x4xf32>) -> tensor<?x2xf32> {
  %w = arith.constant dense<0.5> : tensor<2x4xf32>
  %a = qc.matmul %x, %w {qc.name = "l", qc.loss = [1.0, 2.0, 3.0]} : tensor<?x4xf32>, tensor<2x4xf32> -> tensor<?x2xf32>
  return %a : tensor<?x2xf32>
}

// -----

// A layer that no candidate fits (groups of 128 do not divide K = 96).
// RUN: not qc-opt %s --split-input-file --qc-allocate-bits='formats="#qc.int<s4>, f16 #qc.per_block<[1, 128]>" avg-bits=8' -o /dev/null 2>&1 | FileCheck %s --check-prefix=NOFIT
// NOFIT: error: qc-allocate-bits: unit 'narrow' has no candidate it can take
// NOFIT: note: layer 'narrow' takes no candidate: per_block block size 128 does not divide dimension 1 of size 96
func.func @no_fit(%y: tensor<?x96xf32>) -> tensor<?x8xf32> {
  %v = arith.constant dense<0.5> : tensor<8x96xf32>
  %b = qc.matmul %y, %v {qc.name = "narrow"} : tensor<?x96xf32>, tensor<8x96xf32> -> tensor<?x8xf32>
  return %b : tensor<?x8xf32>
}

// -----

// AlphaQ on a weight without a spectrum (all zeros).
// RUN: not qc-opt %s --split-input-file --qc-allocate-bits='formats="#qc.int<s4>, f16 #qc.per_tensor" avg-bits=8 sensitivity=alphaq' -o /dev/null 2>&1 | FileCheck %s --check-prefix=ALPHA
// ALPHA: error: qc-allocate-bits{sensitivity=alphaq}: the spectrum of layer 'zero' has no power-law tail (fewer than 3 positive eigenvalues, or all equal)
func.func @zero(%y: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %v = arith.constant dense<0.0> : tensor<8x8xf32>
  %b = qc.matmul %y, %v {qc.name = "zero"} : tensor<?x8xf32>, tensor<8x8xf32> -> tensor<?x8xf32>
  return %b : tensor<?x8xf32>
}

// -----

// A NaN, infinite or negative limit is an error, not "no limit".
// RUN: not qc-opt %s --split-input-file --qc-allocate-bits='formats="#qc.int<s4>, f16 #qc.per_block<[1, 128]>" avg-bits=nan' -o /dev/null 2>&1 | FileCheck %s --check-prefix=NAN
// NAN: error: qc-allocate-bits: avg-bits must be a finite number >= 0, got nan
// RUN: not qc-opt %s --split-input-file --qc-allocate-bits='formats="#qc.int<s4>, f16 #qc.per_block<[1, 128]>" avg-bits=inf' -o /dev/null 2>&1 | FileCheck %s --check-prefix=INF
// INF: error: qc-allocate-bits: avg-bits must be a finite number >= 0, got inf
// RUN: not qc-opt %s --split-input-file --qc-allocate-bits='formats="#qc.int<s4>, f16 #qc.per_block<[1, 128]>" cost-attr=c max-cost=-1' -o /dev/null 2>&1 | FileCheck %s --check-prefix=NEGCOST
// NEGCOST: error: qc-allocate-bits: max-cost must be a finite number >= 0, got -1
func.func @limits(%x: tensor<?x128xf32>) -> tensor<?x8xf32> {
  %w = arith.constant dense<0.5> : tensor<8x128xf32>
  %a = qc.matmul %x, %w : tensor<?x128xf32>, tensor<8x128xf32> -> tensor<?x8xf32>
  return %a : tensor<?x8xf32>
}
