// qc-insert-rotations on activations with 4 outlier channels (x50) out of
// 256: per-token INT4 activations, INT8 weights. The rotated program's
// output is much closer to float64 x W^T (NUMERICS.md: the activations'
// MSE drops ~17x with a Hadamard rotation); the CPU pipeline agrees.
// REQUIRES: avx2
// RUN: %python %S/qcref.py gen insert_int4 > %t.mlir
// RUN: qc-opt %t.mlir --qc-reference-pipeline | %mlir-run > %t.plain
// RUN: qc-opt %t.mlir --qc-insert-rotations --qc-reference-pipeline | %mlir-run > %t.rotated
// RUN: %python %S/qcref.py improves insert_int4 %t.plain %t.rotated 10
// RUN: qc-opt %t.mlir --qc-insert-rotations --qc-cpu-pipeline | %mlir-run > %t.cpu
// RUN: %python %S/qcref.py improves insert_int4 %t.plain %t.cpu 10
