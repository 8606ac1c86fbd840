// Runs the 'planes_s3_m2' case of qcref.py (a constant weight whose type asks
// for bit planes: qc-quantize-constants packs the planes) through the CPU
// and reference pipelines; both must match the numpy float64 reference.
// REQUIRES: avx2
// RUN: %python %S/qcref.py gen planes_s3_m2 > %t.mlir
// RUN: qc-opt %t.mlir --qc-cpu-pipeline | %mlir-run > %t.cpu
// RUN: %python %S/qcref.py check planes_s3_m2 %t.cpu
// RUN: qc-opt %t.mlir --qc-reference-pipeline | %mlir-run > %t.ref
// RUN: %python %S/qcref.py check planes_s3_m2 %t.ref
// The kernel reads the planes the constant was packed in:
// RUN: qc-opt %t.mlir --qc-quantize-constants --convert-qc-to-cpu | FileCheck %s
// CHECK: call @qc_cpu_w3_int_
// CHECK-NOT: qc.matmul
