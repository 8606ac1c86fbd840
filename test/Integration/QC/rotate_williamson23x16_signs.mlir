// Runs the 'rotate_williamson23x16_signs' case of qcref.py: qc.rotate by a #qc.hadamard rotation and
// back (the transpose), through the reference and CPU pipelines; both must
// match the numpy float64 reference, which builds Q from the attribute's
// definition (Paley over GF(p^e) from the documented modulus, Williamson
// from the sequences docs/Dialect.md prints, the base of a size written
// without one as the docs say the parser picks it).
// REQUIRES: avx2
// RUN: %python %S/qcref.py gen rotate_williamson23x16_signs > %t.mlir
// RUN: qc-opt %t.mlir --qc-reference-pipeline | %mlir-run > %t.ref
// RUN: %python %S/qcref.py check rotate_williamson23x16_signs %t.ref
// RUN: qc-opt %t.mlir --qc-cpu-pipeline | %mlir-run > %t.cpu
// RUN: %python %S/qcref.py check rotate_williamson23x16_signs %t.cpu
// The Hadamard kernel on 8-lane vectors too (zmm is the default on an
// AVX-512 host):
// RUN: qc-opt %t.mlir --qc-cpu-pipeline="target-features=host,-avx512f" | %mlir-run > %t.ymm
// RUN: %python %S/qcref.py check rotate_williamson23x16_signs %t.ymm
// The CPU pipeline calls the kernel (no rotation left to the reference):
// RUN: qc-opt %t.mlir --convert-qc-to-cpu | FileCheck %s --check-prefix=CPU
// CPU: call @qc_cpu_hadamard_n1472_k92
// CPU-NOT: qc.rotate
