// Quantized types qc cannot hold, and ops it does not import: an error each,
// never a silently dropped quantization.
// RUN: not qc-opt %s --split-input-file --qc-import-quant 2>&1 | FileCheck %s

// CHECK: error: qc-import-quant: cannot import 'tensor<4x!quant.uniform<i8<-100:100>:f32, 1.000000e+00>>': its storage range [-100, 100] is no qc grid: qc's integer grids hold 1 to 8 bits and clamp to a full range ([-2^(b-1), 2^(b-1)-1] or [0, 2^b-1]) or, signed, the narrow [-2^(b-1)+1, 2^(b-1)-1]
func.func @range(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.uniform<i8<-100:100>:f32, 1.0>>
  %d = quant.dcast %q : tensor<4x!quant.uniform<i8<-100:100>:f32, 1.0>> to tensor<4xf32>
  return %d : tensor<4xf32>
}

// -----

// A 16-bit range (an i16 storage type holding an 8-bit range imports).
// CHECK: error: qc-import-quant: cannot import 'tensor<4x!quant.uniform<i16:f32, 1.000000e+00>>': its storage range [-32768, 32767] is no qc grid
func.func @wide(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.uniform<i16:f32, 1.0>>
  %d = quant.dcast %q : tensor<4x!quant.uniform<i16:f32, 1.0>> to tensor<4xf32>
  return %d : tensor<4xf32>
}

// -----

// CHECK: error: qc-import-quant: 'tensor.extract_slice' carries a quantized type; qc imports quant.qcast, quant.dcast, quant.scast and function signatures, calls and returns
func.func @other_op(%x: tensor<4xf32>) -> tensor<2xf32> {
  %q = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.uniform<i8:f32, 1.0>>
  %s = tensor.extract_slice %q[0] [2] [1] : tensor<4x!quant.uniform<i8:f32, 1.0>> to tensor<2x!quant.uniform<i8:f32, 1.0>>
  %d = quant.dcast %s : tensor<2x!quant.uniform<i8:f32, 1.0>> to tensor<2xf32>
  return %d : tensor<2xf32>
}

// -----

// The reference pipeline runs the import first: the same error, not a
// program that silently runs unquantized.
// RUN: not qc-opt %S/Inputs/unimportable.mlir --qc-reference-pipeline 2>&1 | FileCheck %s --check-prefix=PIPE
// PIPE: error: qc-import-quant: cannot import 'tensor<4x!quant.uniform<i8<-100:100>:f32, 1.000000e+00>>'
func.func @dummy() {
  return
}

// -----

// An f64 scale that is no f32 value (qc's scales are at most f32).
// CHECK: error: qc-import-quant: cannot import 'tensor<4x!quant.uniform<i8:f64, 1.000000e-01>>': its f64 scale 0.1{{[0-9]*}} is no f32 value; qc's scales are at most f32
func.func @f64_scale(%x: tensor<4xf64>) -> tensor<4xf64> {
  %q = quant.qcast %x : tensor<4xf64> to tensor<4x!quant.uniform<i8:f64, 0.1>>
  %d = quant.dcast %q : tensor<4x!quant.uniform<i8:f64, 0.1>> to tensor<4xf64>
  return %d : tensor<4xf64>
}
