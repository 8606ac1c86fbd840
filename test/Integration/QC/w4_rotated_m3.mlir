// Runs the 'w4_rotated_m3' case of qcref.py: a constant int4 weight stored
// rotated along K (W = W_s R) through the reference and CPU pipelines
// (compile-time quantization stores W R^T; the CPU pipeline computes
// (a R^T) W_s^T with the Hadamard kernel and the W4 kernel); both must
// match the numpy reference.
// REQUIRES: avx2
// RUN: %python %S/qcref.py gen w4_rotated_m3 > %t.mlir
// RUN: qc-opt %t.mlir --qc-reference-pipeline | %mlir-run > %t.ref
// RUN: %python %S/qcref.py check w4_rotated_m3 %t.ref
// RUN: qc-opt %t.mlir --qc-reference-pipeline=quantize-constants=false | %mlir-run > %t.runtime
// RUN: %python %S/qcref.py check w4_rotated_m3 %t.runtime
// RUN: qc-opt %t.mlir --qc-cpu-pipeline | %mlir-run > %t.cpu
// RUN: %python %S/qcref.py check w4_rotated_m3 %t.cpu
// RUN: qc-opt %t.mlir --qc-quantize-constants --convert-qc-to-cpu | FileCheck %s
// CHECK: qc.kernel_call @qc_cpu_hadamard_n64_signs_t{{(_zmm)?}} 
// CHECK: call @qc_cpu_w4_int_
// CHECK-NOT: qc.rotate
// CHECK-NOT: qc.matmul
