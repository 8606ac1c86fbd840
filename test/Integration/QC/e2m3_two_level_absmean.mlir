// Runs the 'e2m3_two_level_absmean' case of qcref.py through the reference pipeline and compares
// the printed results with the numpy float64 reference; then checks that
// compile-time quantization (qc-quantize-constants) prints the same bits.
// RUN: %python %S/qcref.py gen e2m3_two_level_absmean > %t.mlir
// RUN: qc-opt %t.mlir --qc-reference-pipeline=quantize-constants=false | %mlir-run > %t.runtime
// RUN: %python %S/qcref.py check e2m3_two_level_absmean %t.runtime
// RUN: qc-opt %t.mlir --qc-reference-pipeline | %mlir-run > %t.folded
// RUN: %python %S/qcref.py same %t.runtime %t.folded
