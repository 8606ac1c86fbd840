// Runs the 'cpu_w4a8_amx_m35' case of qcref.py (int4 weights in blocks of 32, int8 activations in blocks of 32, N = 64, M = 35: two blocks of 16 rows on AMX tiles, 3 rows on vpdpbusd) through the CPU pipeline
// with and without AMX and through the reference pipeline; each must match
// the numpy float64 reference.
// REQUIRES: amx
// RUN: %python %S/qcref.py gen cpu_w4a8_amx_m35 > %t.mlir
// RUN: qc-opt %t.mlir --qc-cpu-pipeline | %mlir-run > %t.amx
// RUN: %python %S/qcref.py check cpu_w4a8_amx_m35 %t.amx
// RUN: qc-opt %t.mlir --qc-cpu-pipeline="target-features=host,-amx-int8" | %mlir-run > %t.vnni
// RUN: %python %S/qcref.py check cpu_w4a8_amx_m35 %t.vnni
// RUN: qc-opt %t.mlir --qc-reference-pipeline | %mlir-run > %t.ref
// RUN: %python %S/qcref.py check cpu_w4a8_amx_m35 %t.ref
// The AMX form of the row-lane kernel was used:
// RUN: qc-opt %t.mlir --qc-quantize-constants --qc-cpu-repack-weights --convert-qc-to-cpu | FileCheck %s
// CHECK: call @qc_cpu_{{.*}}_rowlanes{{.*}}_amx
// CHECK-NOT: qc.matmul
