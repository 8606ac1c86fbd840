// Weights packed ahead of time enter through `qc.assemble packed`.
//   s4: bytes E1 74 hold codes 1, -2 (0xE), 4, 7, lsb first; scale 0.5.
//   u3: codes 1..7, 0 take 24 bits: sum(c_i << 3i) = bytes 209, 88, 31
//       (codes 3 and 6 straddle byte boundaries); scale 2, zero point 1.
// RUN: qc-opt %s --qc-reference-pipeline | %mlir-run | FileCheck %s
// Without a matmul for a GPU kernel, qc-nvvm-pipeline is the host lowering:
// RUN: qc-opt %s --qc-nvvm-pipeline | %mlir-run | FileCheck %s
// CHECK: sizes = [4]
// CHECK-NEXT: [0.5, -1, 2, 3.5]
// CHECK: sizes = [8]
// CHECK-NEXT: [0, 2, 4, 6, 8, 10, 12, -2]
func.func @main() {
  %b4 = arith.constant dense<[-31, 116]> : tensor<2xi8>
  %s4 = arith.constant dense<0.5> : tensor<f32>
  %q4 = qc.assemble packed %b4, %s4 : !qc.qtensor<4, #qc.int<s4>, f32 #qc.per_tensor>
  %y4 = qc.dequantize %q4 : !qc.qtensor<4, #qc.int<s4>, f32 #qc.per_tensor> -> tensor<4xf32>
  %c4 = tensor.cast %y4 : tensor<4xf32> to tensor<*xf32>
  call @printMemrefF32(%c4) : (tensor<*xf32>) -> ()
  %b3 = arith.constant dense<[-47, 88, 31]> : tensor<3xi8>
  %s3 = arith.constant dense<2.0> : tensor<f32>
  %z3 = arith.constant dense<1> : tensor<i8>
  %q3 = qc.assemble packed %b3, %s3 zero_points %z3 : !qc.qtensor<8, #qc.int<u3>, f32 #qc.per_tensor, zero_point i8>
  %y3 = qc.dequantize %q3 : !qc.qtensor<8, #qc.int<u3>, f32 #qc.per_tensor, zero_point i8> -> tensor<8xf32>
  %c3 = tensor.cast %y3 : tensor<8xf32> to tensor<*xf32>
  call @printMemrefF32(%c3) : (tensor<*xf32>) -> ()
  return
}
func.func private @printMemrefF32(tensor<*xf32>)
