// Runs the 'cpu_nest_u8_u2_zp_m3' case of qcref.py: a u8 weight with i16
// zero points (minmax, f32 scales per block of 64), quantized at run time,
// read at 2 bits by qc.requantize msb_slice (m' = s z - s 63/2) and at 8
// bits, with int8 activations per row.
// REQUIRES: avx2
// RUN: %python %S/qcref.py gen cpu_nest_u8_u2_zp_m3 > %t.mlir
// RUN: qc-opt %t.mlir --qc-cpu-pipeline | %mlir-run > %t.cpu
// RUN: %python %S/qcref.py check cpu_nest_u8_u2_zp_m3 %t.cpu
// RUN: qc-opt %t.mlir --qc-reference-pipeline | %mlir-run > %t.ref
// RUN: %python %S/qcref.py check cpu_nest_u8_u2_zp_m3 %t.ref
