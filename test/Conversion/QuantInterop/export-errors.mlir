// What upstream's quant dialect cannot express: an error naming it.
// RUN: not qc-opt %s --split-input-file --qc-export-quant 2>&1 | FileCheck %s

// CHECK: error: qc-export-quant: '!qc.qtensor<64, #qc.nf4, f32 #qc.per_block<[32]>>' has grid that is not an integer grid; !quant.uniform holds only integer storage
func.func @nf4(%c: tensor<64xi4>) -> tensor<64xf32> {
  %s = arith.constant dense<1.0> : tensor<2xf32>
  %q = qc.assemble %c, %s : !qc.qtensor<64, #qc.nf4, f32 #qc.per_block<[32]>>
  %d = qc.dequantize %q : !qc.qtensor<64, #qc.nf4, f32 #qc.per_block<[32]>> -> tensor<64xf32>
  return %d : tensor<64xf32>
}

// -----

// CHECK: error: qc-export-quant: 'qc.matmul' holds a !qc.qtensor; upstream's quant dialect has quant.qcast, quant.dcast and quant.scast only{{$}}
func.func @matmul(%x: tensor<2x8xf32>, %c: tensor<4x8xi8>) -> tensor<2x4xf32> {
  %s = arith.constant dense<1.0> : tensor<f32>
  %w = qc.assemble %c, %s : !qc.qtensor<4x8, #qc.int<s8>, f32 #qc.per_tensor>
  %y = qc.matmul %x, %w : tensor<2x8xf32>, !qc.qtensor<4x8, #qc.int<s8>, f32 #qc.per_tensor> -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// CHECK: error: qc-export-quant: a !qc.qtensor crosses a function boundary at 'func.func': its scales travel with it as run-time values, while a !quant.uniform type holds constant scales; dequantize before the boundary or inline the callee
func.func @argument(%q: !qc.qtensor<4, #qc.int<s8>, f32 #qc.per_tensor>) -> tensor<4xf32> {
  %d = qc.dequantize %q : !qc.qtensor<4, #qc.int<s8>, f32 #qc.per_tensor> -> tensor<4xf32>
  return %d : tensor<4xf32>
}

// -----

// CHECK: error: qc-export-quant: '!qc.qtensor<4, #qc.int<s8>, f32 #qc.per_tensor>' has scales that are not constants; a !quant.uniform type holds its scale values
func.func @runtime_scales(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  %q = qc.quantize %x scales(%s : tensor<f32>) rounding<toward_zero> : tensor<4xf32> -> !qc.qtensor<4, #qc.int<s8>, f32 #qc.per_tensor>
  %d = qc.dequantize %q : !qc.qtensor<4, #qc.int<s8>, f32 #qc.per_tensor> -> tensor<4xf32>
  return %d : tensor<4xf32>
}

// -----

// Scales a !quant.uniform type cannot hold are errors, never a crash or a
// type that does not parse back: 0 (absmax on an all-zero block), negative,
// NaN, infinite, and finite in f32 but infinite in the expressed f16.
// CHECK: error: qc-export-quant: '!qc.qtensor<4, #qc.int<s8>, f32 #qc.per_tensor>' has scale 0 (element 0); a !quant.uniform scale must be positive and finite in the expressed type
func.func @zero_scale(%x: tensor<4xf32>) -> tensor<4xf32> {
  %s = arith.constant dense<0.0> : tensor<f32>
  %q = qc.quantize %x scales(%s : tensor<f32>) rounding<toward_zero> : tensor<4xf32> -> !qc.qtensor<4, #qc.int<s8>, f32 #qc.per_tensor>
  %d = qc.dequantize %q : !qc.qtensor<4, #qc.int<s8>, f32 #qc.per_tensor> -> tensor<4xf32>
  return %d : tensor<4xf32>
}

// -----

// CHECK: error: qc-export-quant: '!qc.qtensor<2x4, #qc.int<s8>, f32 #qc.per_axis<0>>' has scale -0.5 (element 1)
func.func @negative_scale(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %s = arith.constant dense<[1.0, -0.5]> : tensor<2xf32>
  %q = qc.quantize %x scales(%s : tensor<2xf32>) rounding<toward_zero> : tensor<2x4xf32> -> !qc.qtensor<2x4, #qc.int<s8>, f32 #qc.per_axis<0>>
  %d = qc.dequantize %q : !qc.qtensor<2x4, #qc.int<s8>, f32 #qc.per_axis<0>> -> tensor<2x4xf32>
  return %d : tensor<2x4xf32>
}

// -----

// CHECK: error: qc-export-quant: '!qc.qtensor<2x4, #qc.int<s8>, f32 #qc.per_axis<0>>' has scale nan (element 0)
func.func @nan_scale(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %s = arith.constant dense<[0x7FC00000, 1.0]> : tensor<2xf32>
  %q = qc.quantize %x scales(%s : tensor<2xf32>) rounding<toward_zero> : tensor<2x4xf32> -> !qc.qtensor<2x4, #qc.int<s8>, f32 #qc.per_axis<0>>
  %d = qc.dequantize %q : !qc.qtensor<2x4, #qc.int<s8>, f32 #qc.per_axis<0>> -> tensor<2x4xf32>
  return %d : tensor<2x4xf32>
}

// -----

// CHECK: error: qc-export-quant: '!qc.qtensor<2x4, #qc.int<s8>, f32 #qc.per_axis<0>>' has scale inf (element 1)
func.func @inf_scale(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %s = arith.constant dense<[1.0, 0x7F800000]> : tensor<2xf32>
  %q = qc.quantize %x scales(%s : tensor<2xf32>) rounding<toward_zero> : tensor<2x4xf32> -> !qc.qtensor<2x4, #qc.int<s8>, f32 #qc.per_axis<0>>
  %d = qc.dequantize %q : !qc.qtensor<2x4, #qc.int<s8>, f32 #qc.per_axis<0>> -> tensor<2x4xf32>
  return %d : tensor<2x4xf32>
}

// -----

// A per-block zero point of 200 does not fit the u4 storage [0, 15]: an
// error, not 200 wrapped to 8 bits.
// CHECK: error: qc-export-quant: '!qc.qtensor<2x8, #qc.int<u4>, f32 #qc.per_block<[1, 4]>, zero_point i16>' has zero point 200 (element 2) outside the storage range [0, 15]
func.func @zero_point_range(%c: tensor<2x8xi4>) -> tensor<2x8xf32> {
  %s = arith.constant dense<1.0> : tensor<2x2xf32>
  %z = arith.constant dense<[[1, 2], [200, 3]]> : tensor<2x2xi16>
  %q = qc.assemble %c, %s zero_points %z : !qc.qtensor<2x8, #qc.int<u4>, f32 #qc.per_block<[1, 4]>, zero_point i16>
  %d = qc.dequantize %q : !qc.qtensor<2x8, #qc.int<u4>, f32 #qc.per_block<[1, 4]>, zero_point i16> -> tensor<2x8xf32>
  return %d : tensor<2x8xf32>
}
