// Runs the 's8_rotated_paley_axis0' case of qcref.py (codes stored in a rotated basis: the
// quantizer stores x R^T, dequantize gives the stored tensor times R)
// through the reference pipeline, with run-time and with compile-time
// quantization (which rotates in float64, so the codes are compared with the
// numpy reference, not bit for bit with each other).
// RUN: %python %S/qcref.py gen s8_rotated_paley_axis0 > %t.mlir
// RUN: qc-opt %t.mlir --qc-reference-pipeline=quantize-constants=false | %mlir-run > %t.runtime
// RUN: %python %S/qcref.py check s8_rotated_paley_axis0 %t.runtime
// RUN: qc-opt %t.mlir --qc-reference-pipeline | %mlir-run > %t.folded
// RUN: %python %S/qcref.py check s8_rotated_paley_axis0 %t.folded
