// qc.quantize rounding<toward_zero>: round trip; qc-quantize-constants
// leaves it to run time (it has given scales, which the verifier requires).
// RUN: qc-opt %s | qc-opt | FileCheck %s
// RUN: qc-opt %s --qc-quantize-constants | FileCheck %s --check-prefix=CONST

// CHECK-LABEL: func.func @truncating
// CHECK: qc.quantize %{{.*}} scales(%{{.*}} : tensor<f32>) rounding<toward_zero> : tensor<4xf32> -> !qc.qtensor<4, #qc.int<s8>, f32 #qc.per_tensor>
// CONST-LABEL: func.func @truncating
// CONST: qc.quantize %{{.*}} rounding<toward_zero>
// CONST-NOT: qc.constant
func.func @truncating() -> !qc.qtensor<4, #qc.int<s8>, f32 #qc.per_tensor> {
  %x = arith.constant dense<[1.5, -2.5, 0.9, 7.0]> : tensor<4xf32>
  %s = arith.constant dense<1.0> : tensor<f32>
  %q = qc.quantize %x scales(%s : tensor<f32>) rounding<toward_zero> : tensor<4xf32> -> !qc.qtensor<4, #qc.int<s8>, f32 #qc.per_tensor>
  return %q : !qc.qtensor<4, #qc.int<s8>, f32 #qc.per_tensor>
}
