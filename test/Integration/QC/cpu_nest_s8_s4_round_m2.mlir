// Runs the 'cpu_nest_s8_s4_round_m2' case of qcref.py: an s8 weight with
// bf16 scales per row read at 4 bits by qc.requantize round_shift (the
// nearest multiple of 16, ties up, 127 saturating to 7) and at 8 bits, with
// f32 activations.
// REQUIRES: avx2
// RUN: %python %S/qcref.py gen cpu_nest_s8_s4_round_m2 > %t.mlir
// RUN: qc-opt %t.mlir --qc-cpu-pipeline | %mlir-run > %t.cpu
// RUN: %python %S/qcref.py check cpu_nest_s8_s4_round_m2 %t.cpu
// RUN: qc-opt %t.mlir --qc-reference-pipeline | %mlir-run > %t.ref
// RUN: %python %S/qcref.py check cpu_nest_s8_s4_round_m2 %t.ref
