// Runs the 'rotate_paley12x16_seed_t' case of qcref.py: qc.rotate by a #qc.hadamard rotation and
// back (the transpose), through the reference and CPU pipelines (the fast
// Walsh-Hadamard transform in linalg); both must match the numpy float64
// reference, which builds Q from the attribute's definition (Sylvester by
// recursion, Paley from the quadratic character, splitmix64 signs).
// REQUIRES: avx2
// RUN: %python %S/qcref.py gen rotate_paley12x16_seed_t > %t.mlir
// RUN: qc-opt %t.mlir --qc-reference-pipeline | %mlir-run > %t.ref
// RUN: %python %S/qcref.py check rotate_paley12x16_seed_t %t.ref
// RUN: qc-opt %t.mlir --qc-cpu-pipeline | %mlir-run > %t.cpu
// RUN: %python %S/qcref.py check rotate_paley12x16_seed_t %t.cpu
// The Hadamard kernel on 8-lane vectors too (zmm is the default on an
// AVX-512 host):
// RUN: qc-opt %t.mlir --qc-cpu-pipeline="target-features=host,-avx512f" | %mlir-run > %t.ymm
// RUN: %python %S/qcref.py check rotate_paley12x16_seed_t %t.ymm
// No dense n x n matrix: log2(m) butterfly stages.
// RUN: qc-opt %t.mlir --convert-qc-to-linalg | FileCheck %s
// CHECK-NOT: tensor<1024x1024xf32>
// CHECK: arith.xori
// The CPU pipeline calls the fast Walsh-Hadamard kernel:
// RUN: qc-opt %t.mlir --convert-qc-to-cpu | FileCheck %s --check-prefix=CPU
// CPU: call @qc_cpu_hadamard_n
// CPU-NOT: qc.rotate
