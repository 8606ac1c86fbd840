// Runs the 'planes_u4_m3' case of qcref.py (a constant weight whose type asks
// for bit planes: qc-quantize-constants packs the planes) through the CPU
// and reference pipelines; both must match the numpy float64 reference.
// REQUIRES: avx2
// RUN: %python %S/qcref.py gen planes_u4_m3 > %t.mlir
// RUN: qc-opt %t.mlir --qc-cpu-pipeline | %mlir-run > %t.cpu
// RUN: %python %S/qcref.py check planes_u4_m3 %t.cpu
// RUN: qc-opt %t.mlir --qc-reference-pipeline | %mlir-run > %t.ref
// RUN: %python %S/qcref.py check planes_u4_m3 %t.ref
// The CPU kernels do not read single-bit planes: the reference lowering
// runs the matmul in the CPU pipeline too.
// RUN: qc-opt %t.mlir --qc-quantize-constants --convert-qc-to-cpu | FileCheck %s
// CHECK: qc.matmul
