// Runs the 'w4_rotated_m3' case of qcref.py: a constant int4 weight stored
// rotated along K (a W_s^T with W = W_s R) through the reference and CPU
// pipelines (compile-time quantization rotates the weight, the matmul
// rotates the activations by R^T); both must match the numpy reference.
// RUN: %python %S/qcref.py gen w4_rotated_m3 > %t.mlir
// RUN: qc-opt %t.mlir --qc-reference-pipeline | %mlir-run > %t.ref
// RUN: %python %S/qcref.py check w4_rotated_m3 %t.ref
// RUN: qc-opt %t.mlir --qc-reference-pipeline=quantize-constants=false | %mlir-run > %t.runtime
// RUN: %python %S/qcref.py check w4_rotated_m3 %t.runtime
// RUN: qc-opt %t.mlir --qc-cpu-pipeline | %mlir-run > %t.cpu
// RUN: %python %S/qcref.py check w4_rotated_m3 %t.cpu
// RUN: qc-opt %t.mlir --qc-quantize-constants --convert-qc-to-cpu=report-fallbacks 2>&1 | FileCheck %s
// CHECK: remark: no CPU kernel, left to the reference lowering: an operand is stored in a rotated basis
