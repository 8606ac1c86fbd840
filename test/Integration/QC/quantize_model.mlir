// qc-quantize-model, the whole-model entry point: qcref.py's three-layer
// MLP (K = 256, 128, 48) under each policy, with and without rotations,
// through the CPU pipeline, against numpy models of the policy (the last
// layer, whose K = 48 no policy's groups divide, stays float, with a remark
// that says why). Measured SQNR against float64: w4g128 16.8 dB, nf4g64
// 20.1 dB, w4a8 16.7 dB (Gaussian weights: rotations change little).
// REQUIRES: avx2
// RUN: %python %S/qcref.py gen quantize_model > %t.mlir
// RUN: qc-opt %t.mlir --qc-quantize-model=policy=w4g128 -o /dev/null 2>&1 | FileCheck %s
// CHECK: remark: qc-quantize-linears: 'fc0' quantized as #qc.int<s4>, f16 #qc.per_block<[1, 128]>
// CHECK: remark: qc-quantize-linears: 'fc1' quantized as #qc.int<s4>, f16 #qc.per_block<[1, 128]>
// CHECK: remark: qc-quantize-linears: 'fc2' left float: layer 'fc2' (8 x 48) cannot take the format #qc.int<s4>, f16 #qc.per_block<[1, 128]>: per_block block size 128 does not divide dimension 1 of size 48
// CHECK: remark: qc-quantize-linears: 2 layer(s) quantized as #qc.int<s4>, f16 #qc.per_block<[1, 128]>, 1 left float
// The weights leave as packed blobs:
// RUN: qc-opt %t.mlir --qc-quantize-model='policy=nf4g64 remarks=false' | FileCheck %s --check-prefix=BLOBS
// BLOBS-COUNT-2: qc.constant codes(dense_resource<
// RUN: qc-opt %t.mlir --qc-quantize-model='policy=w4g128 remarks=false' --qc-cpu-pipeline | %mlir-run > %t.w4
// RUN: %python %S/qcref.py model-check w4g128 plain %t.w4 1e-4
// RUN: qc-opt %t.mlir --qc-quantize-model='policy=w4g64 remarks=false' --qc-cpu-pipeline | %mlir-run > %t.w4g64
// RUN: %python %S/qcref.py model-check w4g64 plain %t.w4g64 1e-4
// RUN: qc-opt %t.mlir --qc-quantize-model='policy=nf4g64 remarks=false' --qc-cpu-pipeline | %mlir-run > %t.nf4
// RUN: %python %S/qcref.py model-check nf4g64 plain %t.nf4 1e-4
// RUN: qc-opt %t.mlir --qc-quantize-model='policy=w4a8 remarks=false' --qc-cpu-pipeline | %mlir-run > %t.w4a8
// RUN: %python %S/qcref.py model-check w4a8 plain %t.w4a8 1e-4
// RUN: qc-opt %t.mlir --qc-quantize-model='policy=w4a8 rotations=true remarks=false' --qc-cpu-pipeline | %mlir-run > %t.w4a8r
// RUN: %python %S/qcref.py model-check w4a8 rotated %t.w4a8r 1e-4
// RUN: qc-opt %t.mlir --qc-quantize-model='policy=nf4g64 rotations=true remarks=false' --qc-reference-pipeline | %mlir-run > %t.nf4r
// RUN: %python %S/qcref.py model-check nf4g64 rotated %t.nf4r 1e-4
