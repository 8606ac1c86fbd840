// Runs the 'w4_permuted_m3' case of qcref.py: a constant int4 weight stored
// permuted along K (W = W_s P, so its groups of 32 hold permuted channels)
// through the reference pipeline (compile-time and run-time quantization)
// and the CPU pipeline (a gather of the activations, then the W4 kernel on
// the stored codes); all must match the numpy reference.
// REQUIRES: avx2
// RUN: %python %S/qcref.py gen w4_permuted_m3 > %t.mlir
// RUN: qc-opt %t.mlir --qc-reference-pipeline | %mlir-run > %t.ref
// RUN: %python %S/qcref.py check w4_permuted_m3 %t.ref
// RUN: qc-opt %t.mlir --qc-reference-pipeline=quantize-constants=false | %mlir-run > %t.runtime
// RUN: %python %S/qcref.py check w4_permuted_m3 %t.runtime
// RUN: qc-opt %t.mlir --qc-cpu-pipeline | %mlir-run > %t.cpu
// RUN: %python %S/qcref.py check w4_permuted_m3 %t.cpu
// RUN: qc-opt %t.mlir --qc-quantize-constants --convert-qc-to-cpu | FileCheck %s
// CHECK: qc.rotate %{{.*}} by #qc.permutation<[{{.*}}]> along 1 transpose
// CHECK: call @qc_cpu_w4_int_
// CHECK-NOT: qc.matmul
