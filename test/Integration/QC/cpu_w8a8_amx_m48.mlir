// Runs the 'cpu_w8a8_amx_m48' case of qcref.py (int8 weights per channel, int8 activations per row, K = 512, N = 48, M = 48: a conversion block of 512 codes, several tile ops per C tile, one panel) through the CPU pipeline
// with and without AMX and through the reference pipeline; each must match
// the numpy float64 reference.
// REQUIRES: amx
// RUN: %python %S/qcref.py gen cpu_w8a8_amx_m48 > %t.mlir
// RUN: qc-opt %t.mlir --qc-cpu-pipeline | %mlir-run > %t.amx
// RUN: %python %S/qcref.py check cpu_w8a8_amx_m48 %t.amx
// RUN: qc-opt %t.mlir --qc-cpu-pipeline="target-features=host,-amx-int8" | %mlir-run > %t.vnni
// RUN: %python %S/qcref.py check cpu_w8a8_amx_m48 %t.vnni
// RUN: qc-opt %t.mlir --qc-reference-pipeline | %mlir-run > %t.ref
// RUN: %python %S/qcref.py check cpu_w8a8_amx_m48 %t.ref
// The AMX form of the row-lane kernel was used:
// RUN: qc-opt %t.mlir --qc-quantize-constants --qc-cpu-repack-weights --convert-qc-to-cpu | FileCheck %s
// CHECK: call @qc_cpu_{{.*}}_rowlanes{{.*}}_amx
// CHECK-NOT: qc.matmul
