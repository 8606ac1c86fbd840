// qc-rearrange-outliers keeps the function: the 'rearrange_llama' program
// of qcref.py (a Llama-style block: a residual stream written by Linear
// layers with biases and read by RMSNorms with weights, a SiLU-gated MLP
// written with arith/math ops, a residual add, an output projection; and a
// residual stream that is a function argument and result) gives numpy's
// float64 outputs before and after the pass, with every method and metric,
// through the reference and the CPU pipelines (weights with log-uniform
// per-channel scales, so each permutation is far from the identity).
// REQUIRES: avx2
// RUN: %python %S/qcref.py gen rearrange_llama > %t.mlir
// RUN: qc-opt %t.mlir --qc-reference-pipeline | %mlir-run > %t.before
// RUN: %python %S/qcref.py check rearrange_llama %t.before
// RUN: qc-opt %t.mlir --qc-rearrange-outliers=remarks -o %t.sorted.mlir 2>&1 | FileCheck %s --check-prefix=REMARKS
// RUN: qc-opt %t.sorted.mlir --qc-reference-pipeline | %mlir-run > %t.after
// RUN: %python %S/qcref.py check rearrange_llama %t.after
// RUN: qc-opt %t.sorted.mlir --qc-cpu-pipeline | %mlir-run > %t.cpu
// RUN: %python %S/qcref.py check rearrange_llama %t.cpu
// RUN: qc-opt %t.mlir --qc-rearrange-outliers="method=zigzag block-size=16" --qc-reference-pipeline | %mlir-run > %t.zigzag
// RUN: %python %S/qcref.py check rearrange_llama %t.zigzag
// RUN: qc-opt %t.mlir --qc-rearrange-outliers="method=outliers-last tail=8" --qc-reference-pipeline | %mlir-run > %t.last
// RUN: %python %S/qcref.py check rearrange_llama %t.last
// RUN: qc-opt %t.mlir --qc-rearrange-outliers="metric=weight-l2 method=zigzag tail=16 block-size=16" --qc-cpu-pipeline | %mlir-run > %t.l2
// RUN: %python %S/qcref.py check rearrange_llama %t.l2
// RUN: FileCheck %s < %t.sorted.mlir
//
// The block's input layer reads a function argument (left in place); the
// residual stream (3 readers: gate, up, the output projection) and the MLP's
// hidden channels (gate and up write them, SiLU and the product carry them)
// are permuted throughout; the argument's stream gets a gather at its norm.
// REMARKS: left in place: the channels come from argument #0 of function @block
// REMARKS: 64 input channels rearranged (sort by weight-max-abs) for 3 Linear layer(s), with 2 writer(s), 2 norm(s) and 5 value(s) permuted
// REMARKS: 48 input channels rearranged (sort by weight-max-abs) for 1 Linear layer(s), with 2 writer(s), 0 norm(s) and 10 value(s) permuted
// REMARKS: 64 input channels rearranged {{.*}}; applied as a gather at 1 norm output(s)
// REMARKS: 32 input channels rearranged (sort by weight-max-abs) for 1 Linear layer(s), with 1 writer(s)
// REMARKS: 4 channel group(s) rearranged, 1 left in place
// CHECK-LABEL: func.func @block(
// CHECK-NOT: qc.rotate
// CHECK-LABEL: func.func @residual_arg(
// CHECK: %[[N:.*]] = qc.rms_norm %arg0
// CHECK-NEXT: qc.rotate %[[N]] by #qc.permutation<[{{[0-9]+, [0-9]+}}
