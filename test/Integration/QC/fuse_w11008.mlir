// qc-fuse-rotations is exact at a model width: the 'fuse_w11008' program of
// qcref.py rotates by #qc.hadamard<11008, seed = 5> (the parser picks
// williamson = 43: H_172 (x) H_64) after a Linear layer (folded into its
// weight and bias) and after tanh before a Linear layer (folded into that
// layer's weight). Before and after fusion, through both pipelines, the
// outputs match the numpy float64 reference to f32 rounding, and no
// rotation is left.
// REQUIRES: avx2
// RUN: %python %S/qcref.py gen fuse_w11008 > %t.mlir
// RUN: qc-opt %t.mlir --qc-reference-pipeline | %mlir-run > %t.before
// RUN: %python %S/qcref.py check fuse_w11008 %t.before
// RUN: qc-opt %t.mlir --qc-fuse-rotations --qc-reference-pipeline | %mlir-run > %t.after
// RUN: %python %S/qcref.py check fuse_w11008 %t.after
// RUN: qc-opt %t.mlir --qc-fuse-rotations --qc-cpu-pipeline | %mlir-run > %t.cpu
// RUN: %python %S/qcref.py check fuse_w11008 %t.cpu
// RUN: qc-opt %t.mlir --qc-fuse-rotations | FileCheck %s
// CHECK-NOT: qc.rotate
