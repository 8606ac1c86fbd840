// Runs the 'rotate_dense_axis0_t' case of qcref.py: qc.rotate by a dense
// #qc.orthogonal matrix (not symmetric) along axis 0, transposed, and back,
// through the reference and CPU pipelines (a dense contraction); both must
// match the numpy float64 reference.
// REQUIRES: avx2
// RUN: %python %S/qcref.py gen rotate_dense_axis0_t > %t.mlir
// RUN: qc-opt %t.mlir --qc-reference-pipeline | %mlir-run > %t.ref
// RUN: %python %S/qcref.py check rotate_dense_axis0_t %t.ref
// RUN: qc-opt %t.mlir --qc-cpu-pipeline | %mlir-run > %t.cpu
// RUN: %python %S/qcref.py check rotate_dense_axis0_t %t.cpu
// The Hadamard kernel on 8-lane vectors too (zmm is the default on an
// AVX-512 host):
// RUN: qc-opt %t.mlir --qc-cpu-pipeline="target-features=host,-avx512f" | %mlir-run > %t.ymm
// RUN: %python %S/qcref.py check rotate_dense_axis0_t %t.ymm
