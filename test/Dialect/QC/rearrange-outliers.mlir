// qc-rearrange-outliers: what it permutes (worked out by hand), how far the
// permutation propagates, and every refusal. (That the program's function is
// unchanged is checked numerically by test/Integration/QC/rearrange_*.mlir.)
// RUN: qc-opt %s --qc-rearrange-outliers=remarks --split-input-file -verify-diagnostics=only-expected | FileCheck %s
// One summary remark per module, in the order of the cases below.
// RUN: qc-opt %s --qc-rearrange-outliers=remarks --split-input-file -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SUMMARY
// SUMMARY: 1 channel group(s) rearranged, 1 left in place
// SUMMARY: 1 channel group(s) rearranged, 1 left in place
// SUMMARY: 1 channel group(s) rearranged, 1 left in place
// SUMMARY: 1 channel group(s) rearranged, 0 left in place
// SUMMARY: 0 channel group(s) rearranged, 4 left in place
// SUMMARY: 0 channel group(s) rearranged, 2 left in place

// Column max-abs of %w2: [9, 2, 5, 4, 5, 7]; ascending, ties by index:
// p = [1, 3, 2, 4, 5, 0]. The writer's rows and bias follow, tanh carries
// the permuted channels; %x (a function argument) blocks the first layer.
// CHECK-LABEL: func.func @writer_tanh_reader
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[2.000000e+00, 4.000000e+00, 3.000000e+00, 5.000000e+00, 6.000000e+00, 1.000000e+00]>
// CHECK-DAG: %[[W1:.*]] = arith.constant dense<{{\[}}[0.000000e+00, 2.000000e+00, 0.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00, 0.000000e+00, 4.000000e+00], [0.000000e+00, 0.000000e+00, 3.000000e+00, 0.000000e+00], [1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00], [5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01], [1.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]]>
// CHECK-DAG: %[[W2:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 2.000000e+00, 5.000000e+00, 1.000000e-01, 7.000000e+00, 9.000000e+00], [2.000000e+00, 4.000000e+00, 3.000000e+00, 5.000000e+00, 6.000000e+00, 1.000000e+00]]>
// CHECK-DAG: %[[H:.*]] = qc.matmul %arg0, %[[W1]] bias(%[[B]] : tensor<6xf32>)
// CHECK-DAG: %[[T:.*]] = math.tanh %[[H]]
// CHECK-DAG: qc.matmul %[[T]], %[[W2]]
// CHECK-NOT: arith.constant
func.func @writer_tanh_reader(%x: tensor<?x4xf32>) -> tensor<?x2xf32> {
  %w1 = arith.constant dense<[[1.0, 0.0, 0.0, 0.0], [0.0, 2.0, 0.0, 0.0], [0.0, 0.0, 3.0, 0.0], [0.0, 0.0, 0.0, 4.0], [1.0, 1.0, 1.0, 1.0], [0.5, 0.5, 0.5, 0.5]]> : tensor<6x4xf32>
  %b1 = arith.constant dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]> : tensor<6xf32>
  %w2 = arith.constant dense<[[9.0, 1.0, 5.0, 2.0, 0.1, 7.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]]> : tensor<2x6xf32>
  // expected-remark @+1 {{input channels left in place: the channels come from argument #0 of function @writer_tanh_reader, which the pass cannot permute}}
  %h = qc.matmul %x, %w1 bias(%b1 : tensor<6xf32>) : tensor<?x4xf32>, tensor<6x4xf32> -> tensor<?x6xf32>
  %t = math.tanh %h : tensor<?x6xf32>
  // expected-remark @+1 {{6 input channels rearranged (sort by weight-max-abs) for 1 Linear layer(s), with 1 writer(s), 0 norm(s) and 2 value(s) permuted}}
  %y = qc.matmul %t, %w2 : tensor<?x6xf32>, tensor<2x6xf32> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// A gated MLP: gate and up share one permutation (their product and the
// SiLU chain between are elementwise; the splat 1.0 is unchanged), chosen by
// the down projection's columns: max-abs [1, 8, 2, 4] -> p = [0, 2, 3, 1].
// CHECK-LABEL: func.func @gated_mlp
// CHECK-DAG: %[[G:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 0.000000e+00], [3.000000e+00, 0.000000e+00], [4.000000e+00, 0.000000e+00], [2.000000e+00, 0.000000e+00]]>
// CHECK-DAG: %[[U:.*]] = arith.constant dense<{{\[}}[0.000000e+00, 1.000000e+00], [0.000000e+00, 3.000000e+00], [0.000000e+00, 4.000000e+00], [0.000000e+00, 2.000000e+00]]>
// CHECK-DAG: %[[D:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 2.000000e+00, 4.000000e+00, 8.000000e+00]]>
// CHECK-DAG: %[[ONE:.*]] = arith.constant dense<1.000000e+00> : tensor<3x4xf32>
// CHECK-DAG: qc.matmul %{{.*}}, %[[G]]
// CHECK-DAG: qc.matmul %{{.*}}, %[[U]]
// CHECK-DAG: arith.addf %[[ONE]]
// CHECK-DAG: qc.matmul %{{.*}}, %[[D]]
func.func @gated_mlp(%n: tensor<3x2xf32>) -> tensor<3x1xf32> {
  %wg = arith.constant dense<[[1.0, 0.0], [2.0, 0.0], [3.0, 0.0], [4.0, 0.0]]> : tensor<4x2xf32>
  %wu = arith.constant dense<[[0.0, 1.0], [0.0, 2.0], [0.0, 3.0], [0.0, 4.0]]> : tensor<4x2xf32>
  %wd = arith.constant dense<[[1.0, 8.0, 2.0, 4.0]]> : tensor<1x4xf32>
  %one = arith.constant dense<1.0> : tensor<3x4xf32>
  // expected-remark @+1 {{left in place: the channels come from argument #0 of function @gated_mlp}}
  %g = qc.matmul %n, %wg : tensor<3x2xf32>, tensor<4x2xf32> -> tensor<3x4xf32>
  %u = qc.matmul %n, %wu : tensor<3x2xf32>, tensor<4x2xf32> -> tensor<3x4xf32>
  %ng = arith.negf %g : tensor<3x4xf32>
  %e = math.exp %ng : tensor<3x4xf32>
  %d = arith.addf %one, %e : tensor<3x4xf32>
  %s = arith.divf %g, %d : tensor<3x4xf32>
  %h = arith.mulf %s, %u : tensor<3x4xf32>
  // expected-remark @+1 {{4 input channels rearranged (sort by weight-max-abs) for 1 Linear layer(s), with 2 writer(s), 0 norm(s) and 7 value(s) permuted}}
  %y = qc.matmul %h, %wd : tensor<3x4xf32>, tensor<1x4xf32> -> tensor<3x1xf32>
  return %y : tensor<3x1xf32>
}

// -----

// A residual stream written by Linear layers and read by weighted norms is
// permuted everywhere: the writers' rows (%wo is a writer and a reader:
// P^T W P), the add, both norms' weights, and the readers' columns. Column
// max-abs over the readers %wo and %wf: [3, 5, 1] -> p = [2, 0, 1].
// CHECK-LABEL: func.func @residual_stream
// CHECK-DAG: %[[WE:.*]] = arith.constant dense<{{\[}}[3.000000e+00], [1.000000e+00], [2.000000e+00]]>
// CHECK-DAG: %[[G1:.*]] = arith.constant dense<[3.000000e+00, 1.000000e+00, 2.000000e+00]>
// CHECK-DAG: %[[WO:.*]] = arith.constant dense<{{\[}}[0.000000e+00, 0.000000e+00, 0.000000e+00], [0.000000e+00, 3.000000e+00, 0.000000e+00], [1.000000e+00, 0.000000e+00, 2.000000e+00]]>
// CHECK-DAG: %[[G2:.*]] = arith.constant dense<[6.000000e+00, 4.000000e+00, 5.000000e+00]>
// CHECK-DAG: %[[WF:.*]] = arith.constant dense<{{\[}}[5.000000e-01, 1.000000e+00, 5.000000e+00]]>
// CHECK-DAG: %[[H0:.*]] = qc.matmul %{{.*}}, %[[WE]]
// CHECK-DAG: %[[N1:.*]] = qc.rms_norm %[[H0]] weight(%[[G1]]
// CHECK-DAG: %[[O:.*]] = qc.matmul %[[N1]], %[[WO]]
// CHECK-DAG: %[[H1:.*]] = arith.addf %[[H0]], %[[O]]
// CHECK-DAG: %[[N2:.*]] = qc.rms_norm %[[H1]] weight(%[[G2]]
// CHECK-DAG: qc.matmul %[[N2]], %[[WF]]
func.func @residual_stream(%x: tensor<2x1xf32>) -> tensor<2x1xf32> {
  %we = arith.constant dense<[[1.0], [2.0], [3.0]]> : tensor<3x1xf32>
  %g1 = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %wo = arith.constant dense<[[3.0, 0.0, 0.0], [0.0, 2.0, 1.0], [0.0, 0.0, 0.0]]> : tensor<3x3xf32>
  %g2 = arith.constant dense<[4.0, 5.0, 6.0]> : tensor<3xf32>
  %wf = arith.constant dense<[[1.0, 5.0, 0.5]]> : tensor<1x3xf32>
  // expected-remark @+1 {{left in place: the channels come from argument #0}}
  %h0 = qc.matmul %x, %we : tensor<2x1xf32>, tensor<3x1xf32> -> tensor<2x3xf32>
  %n1 = qc.rms_norm %h0 weight(%g1 : tensor<3xf32>) epsilon(1.0e-05) : tensor<2x3xf32>
  // expected-remark @+1 {{3 input channels rearranged (sort by weight-max-abs) for 2 Linear layer(s), with 2 writer(s), 2 norm(s) and 5 value(s) permuted}}
  %o = qc.matmul %n1, %wo : tensor<2x3xf32>, tensor<3x3xf32> -> tensor<2x3xf32>
  %h1 = arith.addf %h0, %o : tensor<2x3xf32>
  %n2 = qc.rms_norm %h1 weight(%g2 : tensor<3xf32>) epsilon(1.0e-05) : tensor<2x3xf32>
  %y = qc.matmul %n2, %wf : tensor<2x3xf32>, tensor<1x3xf32> -> tensor<2x1xf32>
  return %y : tensor<2x1xf32>
}

// -----

// The residual stream is a function argument and a result: it cannot be
// permuted, so the permutation is applied at the norm's output (a gather);
// the norm's weight stays, the reader's columns are permuted. Column
// max-abs [4, 1, 2] -> p = [1, 2, 0].
// CHECK-LABEL: func.func @at_norm_output
// CHECK-DAG: %[[G:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]>
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 2.000000e+00, 4.000000e+00], [1.000000e+00, 2.000000e+00, 3.000000e+00]]>
// CHECK-DAG: %[[N:.*]] = qc.rms_norm %arg0 weight(%[[G]]
// CHECK-DAG: %[[P:.*]] = qc.rotate %[[N]] by #qc.permutation<[1, 2, 0]> along 1
// CHECK-DAG: qc.matmul %[[P]], %[[W]]
func.func @at_norm_output(%x: tensor<?x3xf32>) -> (tensor<?x3xf32>, tensor<?x2xf32>) {
  %g = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %w = arith.constant dense<[[4.0, 1.0, 2.0], [3.0, 1.0, 2.0]]> : tensor<2x3xf32>
  %n = qc.rms_norm %x weight(%g : tensor<3xf32>) epsilon(1.0e-05) : tensor<?x3xf32>
  // expected-remark @+1 {{3 input channels rearranged (sort by weight-max-abs) for 1 Linear layer(s), with 0 writer(s), 0 norm(s) and 1 value(s) permuted; applied as a gather at 1 norm output(s) (the channels upstream of the norms could not be permuted)}}
  %y = qc.matmul %n, %w : tensor<?x3xf32>, tensor<2x3xf32> -> tensor<?x2xf32>
  return %x, %y : tensor<?x3xf32>, tensor<?x2xf32>
}

// -----

// Refusals: each group is left exactly as it was, with a remark naming the
// op that blocks it.
// CHECK-LABEL: func.func @refusals
// CHECK-NOT: permutation
// CHECK-DAG: dense<{{\[}}[1.000000e+00, 5.000000e+00, 2.000000e+00, 3.000000e+00], [1.000000e+00
// CHECK-DAG: dense<{{\[}}[4.000000e+00, 3.000000e+00, 2.000000e+00, 1.000000e+00], [1.000000e+00
func.func @refusals(%x: tensor<?x4xf32>, %wd: tensor<2x4xf32>) -> (tensor<?x4xf32>, tensor<?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>) {
  %w = arith.constant dense<[[1.0, 5.0, 2.0, 3.0], [1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0]]> : tensor<4x4xf32>
  %r = arith.constant dense<[[4.0, 3.0, 2.0, 1.0], [1.0, 1.0, 1.0, 1.0]]> : tensor<2x4xf32>
  // expected-remark @+1 {{left in place: the channels come from argument #0 of function @refusals}}
  %h = qc.matmul %x, %w : tensor<?x4xf32>, tensor<4x4xf32> -> tensor<?x4xf32>
  // A result of the function.
  // expected-remark @+1 {{left in place: the channels are read by 'func.return', which a permutation does not pass through}}
  %y1 = qc.matmul %h, %r : tensor<?x4xf32>, tensor<2x4xf32> -> tensor<?x2xf32>
  // An op the rules do not cover (another rotation).
  %m = qc.matmul %x, %w : tensor<?x4xf32>, tensor<4x4xf32> -> tensor<?x4xf32>
  %q = qc.rotate %m by #qc.hadamard<4> along 1 : tensor<?x4xf32>
  // expected-remark @+1 {{left in place: the channels are produced by 'qc.rotate', which a permutation does not pass through (only elementwise ops, elementwise linalg.generic ops, qc.rms_norm and Linear layers)}}
  %y2 = qc.matmul %q, %r : tensor<?x4xf32>, tensor<2x4xf32> -> tensor<?x2xf32>
  // A weight that is not a constant.
  %k = qc.matmul %x, %w : tensor<?x4xf32>, tensor<4x4xf32> -> tensor<?x4xf32>
  %t = math.tanh %k : tensor<?x4xf32>
  // expected-remark @+1 {{left in place: a Linear layer reading the channels cannot have its columns permuted: its weight is not a constant}}
  %y3 = qc.matmul %t, %wd : tensor<?x4xf32>, tensor<2x4xf32> -> tensor<?x2xf32>
  return %h, %y1, %y2, %y3 : tensor<?x4xf32>, tensor<?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>
}


// -----

// A writer quantized in blocks of two rows: permuting its rows would change
// which rows share a scale, so the group is left alone.
// CHECK-LABEL: func.func @writer_blocks_span_rows
// CHECK-NOT: permutation
func.func @writer_blocks_span_rows(%x: tensor<?x4xf32>) -> tensor<?x1xf32> {
  %w1 = arith.constant dense<1.0> : tensor<4x4xf32>
  %w2 = arith.constant dense<[[1.0, 4.0, 2.0, 3.0]]> : tensor<1x4xf32>
  %q1 = qc.quantize %w1 : tensor<4x4xf32> -> !qc.qtensor<4x4, #qc.int<s4>, f32 #qc.per_block<[2, 4]>>
  // expected-remark @+1 {{left in place}}
  %h = qc.matmul %x, %q1 : tensor<?x4xf32>, !qc.qtensor<4x4, #qc.int<s4>, f32 #qc.per_block<[2, 4]>> -> tensor<?x4xf32>
  // expected-remark @+1 {{left in place: the Linear layer that writes the channels quantizes its weight in blocks of several rows, which permuting its rows would regroup}}
  %y = qc.matmul %h, %w2 : tensor<?x4xf32>, tensor<1x4xf32> -> tensor<?x1xf32>
  return %y : tensor<?x1xf32>
}
