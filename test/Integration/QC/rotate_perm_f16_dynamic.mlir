// Runs the 'rotate_perm_f16_dynamic' case of qcref.py: a permutation of the
// last axis of a dynamically shaped f16 matrix and back; a gather moves
// values without arithmetic, so the f16 values come back exactly.
// REQUIRES: avx2
// RUN: %python %S/qcref.py gen rotate_perm_f16_dynamic > %t.mlir
// RUN: qc-opt %t.mlir --qc-reference-pipeline | %mlir-run > %t.ref
// RUN: %python %S/qcref.py check rotate_perm_f16_dynamic %t.ref
// RUN: qc-opt %t.mlir --qc-cpu-pipeline | %mlir-run > %t.cpu
// RUN: %python %S/qcref.py check rotate_perm_f16_dynamic %t.cpu
// The Hadamard kernel on 8-lane vectors too (zmm is the default on an
// AVX-512 host):
// RUN: qc-opt %t.mlir --qc-cpu-pipeline="target-features=host,-avx512f" | %mlir-run > %t.ymm
// RUN: %python %S/qcref.py check rotate_perm_f16_dynamic %t.ymm
