// qc-fuse-rotations is exact: the 'fuse_mlp' program of qcref.py (a
// two-layer MLP with rotations where QuaRot puts them: after a Linear layer,
// around an RMSNorm with a weight, after a nonlinearity before a Linear
// layer; a rotation after a weightless RMSNorm; an RMSNorm weight read by a
// Linear layer; a residual add of two Linear layers before a rotation)
// gives the numpy float64 reference's outputs before and after fusion, to
// f32 rounding, and no rotation is left.
// REQUIRES: avx2
// RUN: %python %S/qcref.py gen fuse_mlp > %t.mlir
// RUN: qc-opt %t.mlir --qc-reference-pipeline | %mlir-run > %t.before
// RUN: %python %S/qcref.py check fuse_mlp %t.before
// RUN: qc-opt %t.mlir --qc-fuse-rotations --qc-reference-pipeline | %mlir-run > %t.after
// RUN: %python %S/qcref.py check fuse_mlp %t.after
// RUN: qc-opt %t.mlir --qc-fuse-rotations --qc-cpu-pipeline | %mlir-run > %t.cpu
// RUN: %python %S/qcref.py check fuse_mlp %t.cpu
// RUN: qc-opt %t.mlir --qc-fuse-rotations | FileCheck %s
// CHECK-NOT: qc.rotate
// The norm weight read only by a Linear layer was folded into it:
// CHECK-LABEL: func.func @norm_weight(
// CHECK: qc.rms_norm %{{.*}} epsilon
// CHECK-NOT: weight(
// CHECK: qc.matmul
