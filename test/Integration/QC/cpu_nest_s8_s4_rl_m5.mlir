// Runs the 'cpu_nest_s8_s4_rl_m5' case of qcref.py: one s8 weight (f16
// scales per block of 32, K = 256, N = 32) read at 4 bits by qc.requantize
// msb_slice (a run-time i1 picks the width, scf.if), with int8 activations
// per row; the narrow result, then the 8-bit one, against the numpy
// float64 reference of the op's documentation.
// REQUIRES: avx2
// RUN: %python %S/qcref.py gen cpu_nest_s8_s4_rl_m5 > %t.mlir
// RUN: qc-opt %t.mlir --qc-cpu-pipeline | %mlir-run > %t.cpu
// RUN: %python %S/qcref.py check cpu_nest_s8_s4_rl_m5 %t.cpu
// On AVX2 alone: the K-major tile's planes, the same two reads.
// RUN: qc-opt %t.mlir --qc-cpu-pipeline="target-features=sse2,ssse3,sse4.1,avx,avx2,fma,f16c" | %mlir-run > %t.avx2
// RUN: %python %S/qcref.py check cpu_nest_s8_s4_rl_m5 %t.avx2
// RUN: qc-opt %t.mlir --qc-reference-pipeline | %mlir-run > %t.ref
// RUN: %python %S/qcref.py check cpu_nest_s8_s4_rl_m5 %t.ref
