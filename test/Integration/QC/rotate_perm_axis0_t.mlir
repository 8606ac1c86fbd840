// Runs the 'rotate_perm_axis0_t' case of qcref.py: qc.rotate by a
// #qc.permutation along axis 0, transposed (a scatter), and back, through
// both pipelines, against numpy's product with the permutation matrix
// P[i][j] = (i == p[j]); both pipelines gather (no n x n matrix, no
// multiplication).
// REQUIRES: avx2
// RUN: %python %S/qcref.py gen rotate_perm_axis0_t > %t.mlir
// RUN: qc-opt %t.mlir --qc-reference-pipeline | %mlir-run > %t.ref
// RUN: %python %S/qcref.py check rotate_perm_axis0_t %t.ref
// RUN: qc-opt %t.mlir --qc-cpu-pipeline | %mlir-run > %t.cpu
// RUN: %python %S/qcref.py check rotate_perm_axis0_t %t.cpu
// The Hadamard kernel on 8-lane vectors too (zmm is the default on an
// AVX-512 host):
// RUN: qc-opt %t.mlir --qc-cpu-pipeline="target-features=host,-avx512f" | %mlir-run > %t.ymm
// RUN: %python %S/qcref.py check rotate_perm_axis0_t %t.ymm
// RUN: qc-opt %t.mlir --convert-qc-to-linalg | FileCheck %s
// CHECK-NOT: tensor<6x6x
// CHECK-NOT: arith.mulf
// CHECK: tensor.extract
// RUN: qc-opt %t.mlir --convert-qc-to-cpu=remarks 2>&1 | FileCheck %s --check-prefix=CPU
// CPU: a #qc.permutation is a gather (one load per element), which the reference lowering already is
