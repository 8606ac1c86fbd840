// What upstream's quant dialect cannot express: an error naming it.
// RUN: not qc-opt %s --split-input-file --qc-export-quant 2>&1 | FileCheck %s

// CHECK: error: qc-export-quant: this qc.quantize rounds half to even; upstream's quant.qcast truncates toward zero (as lower-quant-ops lowers it), so only rounding<toward_zero> exports
func.func @rne(%x: tensor<4xf32>) -> tensor<4xf32> {
  %s = arith.constant dense<0.5> : tensor<f32>
  %q = qc.quantize %x scales(%s : tensor<f32>) : tensor<4xf32> -> !qc.qtensor<4, #qc.int<s8>, f32 #qc.per_tensor>
  %d = qc.dequantize %q : !qc.qtensor<4, #qc.int<s8>, f32 #qc.per_tensor> -> tensor<4xf32>
  return %d : tensor<4xf32>
}

// -----

// CHECK: error: qc-export-quant: '!qc.qtensor<64, #qc.nf4, f32 #qc.per_block<[32]>>' has grid that is not an integer grid; !quant.uniform holds only integer storage
func.func @nf4(%c: tensor<64xi4>) -> tensor<64xf32> {
  %s = arith.constant dense<1.0> : tensor<2xf32>
  %q = qc.assemble %c, %s : !qc.qtensor<64, #qc.nf4, f32 #qc.per_block<[32]>>
  %d = qc.dequantize %q : !qc.qtensor<64, #qc.nf4, f32 #qc.per_block<[32]>> -> tensor<64xf32>
  return %d : tensor<64xf32>
}

// -----

// CHECK: error: qc-export-quant: 'qc.matmul' holds a !qc.qtensor; upstream's quant dialect has quant.qcast, quant.dcast and quant.scast only
func.func @matmul(%x: tensor<2x8xf32>, %c: tensor<4x8xi8>) -> tensor<2x4xf32> {
  %s = arith.constant dense<1.0> : tensor<f32>
  %w = qc.assemble %c, %s : !qc.qtensor<4x8, #qc.int<s8>, f32 #qc.per_tensor>
  %y = qc.matmul %x, %w : tensor<2x8xf32>, !qc.qtensor<4x8, #qc.int<s8>, f32 #qc.per_tensor> -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// CHECK: error: qc-export-quant: 'func.func' holds a !qc.qtensor
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
