// W4A8 with rotations inserted (qc-insert-rotations) on activations with
// outlier channels: the CPU pipeline rotates and quantizes each activation
// row in one kernel (fast Walsh-Hadamard transform, then absmax int8) and
// runs the integer-dot W4A8 kernel; its output agrees with the reference
// pipeline's (the same codes; f32 accumulation order differs). (With int4
// weights and int8 activations the weights' error dominates: the rotation
// gains ~1.1x here; see insert_rotations_int4.mlir for INT4 activations.)
// REQUIRES: avx2
// RUN: %python %S/qcref.py gen insert_w4a8 > %t.mlir
// RUN: qc-opt %t.mlir --qc-insert-rotations --qc-reference-pipeline | %mlir-run > %t.ref
// RUN: qc-opt %t.mlir --qc-insert-rotations --qc-cpu-pipeline | %mlir-run > %t.cpu
// RUN: %python %S/qcref.py close %t.ref %t.cpu 1e-5
// RUN: qc-opt %t.mlir --qc-insert-rotations --qc-quantize-constants --convert-qc-to-cpu | FileCheck %s
// CHECK: qc.kernel_call @qc_cpu_hadamard_n1024_q8{{(_zmm)?}} 
// CHECK: call @qc_cpu_w4a8_
// CHECK-NOT: qc.rotate
// CHECK-NOT: qc.quantize
