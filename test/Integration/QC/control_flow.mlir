// Quantized tensors through scf.for and calls, f16 activations and results,
// f8E4M3FN scales in a constant, a dynamic per-tensor absmean quantizer.
// Expected values by hand: mean|x| = 8.85 / 12 = 0.7375 (0.7373 in f16), so
// ternary codes are sign(x) where |x| > 0.37, else 0; the matmul row sums are
// 0.5 * (1 - 2 + 7 - 8) = -1 and 0.25 * (0 + 3 - 1 + 5) = 1.75.
// RUN: qc-opt %s --qc-reference-pipeline | %mlir-run | FileCheck %s
// CHECK: sizes = [2, 6]
// CHECK-NEXT: {{\[\[}}0.737{{[0-9]*}}, -0.737{{[0-9]*}}, 0.737{{[0-9]*}}, 0, 0, 0.737{{[0-9]*}}],
// CHECK-NEXT: [0, 0.737{{[0-9]*}}, -0.737{{[0-9]*}}, 0, 0.737{{[0-9]*}}, 0]]
// CHECK: sizes = [1, 2]
// CHECK-NEXT: {{\[\[}}-1, 1.75]]

func.func @dyn(%x: tensor<?x6xf16>) -> tensor<?x6xf16> {
  %q = qc.quantize %x method<absmean> : tensor<?x6xf16> -> !qc.qtensor<?x6, #qc.ternary, f32 #qc.per_tensor>
  %y = qc.dequantize %q : !qc.qtensor<?x6, #qc.ternary, f32 #qc.per_tensor> -> tensor<?x6xf16>
  return %y : tensor<?x6xf16>
}
func.func @loop(%q: !qc.qtensor<2x4, #qc.int<s4>, f8E4M3FN #qc.per_axis<0>>) -> !qc.qtensor<2x4, #qc.int<s4>, f8E4M3FN #qc.per_axis<0>> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %r = scf.for %i = %c0 to %c3 step %c1 iter_args(%a = %q) -> (!qc.qtensor<2x4, #qc.int<s4>, f8E4M3FN #qc.per_axis<0>>) {
    scf.yield %a : !qc.qtensor<2x4, #qc.int<s4>, f8E4M3FN #qc.per_axis<0>>
  }
  return %r : !qc.qtensor<2x4, #qc.int<s4>, f8E4M3FN #qc.per_axis<0>>
}
func.func @main() {
  %x = arith.constant dense<[[1.0, -2.0, 0.5, 0.1, -0.3, 2.0], [0.0, 1.0, -1.0, 0.2, 0.7, -0.05]]> : tensor<2x6xf16>
  %xd = tensor.cast %x : tensor<2x6xf16> to tensor<?x6xf16>
  %y = call @dyn(%xd) : (tensor<?x6xf16>) -> tensor<?x6xf16>
  %y32 = arith.extf %y : tensor<?x6xf16> to tensor<?x6xf32>
  %yc = tensor.cast %y32 : tensor<?x6xf32> to tensor<*xf32>
  call @printMemrefF32(%yc) : (tensor<*xf32>) -> ()
  %k = qc.constant codes(dense<[[1, -2, 7, -8], [0, 3, -1, 5]]> : tensor<2x4xi4>) scales(dense<[0.5, 0.25]> : tensor<2xf8E4M3FN>) : !qc.qtensor<2x4, #qc.int<s4>, f8E4M3FN #qc.per_axis<0>>
  %k2 = call @loop(%k) : (!qc.qtensor<2x4, #qc.int<s4>, f8E4M3FN #qc.per_axis<0>>) -> !qc.qtensor<2x4, #qc.int<s4>, f8E4M3FN #qc.per_axis<0>>
  %a = arith.constant dense<[[1.0, 1.0, 1.0, 1.0]]> : tensor<1x4xf16>
  %m = qc.matmul %a, %k2 : tensor<1x4xf16>, !qc.qtensor<2x4, #qc.int<s4>, f8E4M3FN #qc.per_axis<0>> -> tensor<1x2xf16>
  %m32 = arith.extf %m : tensor<1x2xf16> to tensor<1x2xf32>
  %mc = tensor.cast %m32 : tensor<1x2xf32> to tensor<*xf32>
  call @printMemrefF32(%mc) : (tensor<*xf32>) -> ()
  return
}
func.func private @printMemrefF32(tensor<*xf32>)
