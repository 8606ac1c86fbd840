// #qc_nvvm.mma_fragments read by the reference lowering: a 16 x 64 tile of
// signed 4-bit codes stored offset by 8 (0x8 is code 0), with the nibbles
// placed by hand from the layout's definition (nibble p of word s of lane l
// is row 8*(p%2) + l/4, code s*16 + 2*(l%4) + [0, 8, 1, 9][p/2]):
//   byte 0 = 0x9D: lane 0, word 0, nibbles 0, 1 -> (0, 0) = 13-8 = 5, (8, 0) = 1
//   byte 2 = 0x0F: nibbles 4, 5 -> (0, 1) = 7, (8, 1) = -8
//   byte 4 = 0x87: lane 0, word 1, nibble 0 -> (0, 16) = -1
//   byte 16 = 0x8A: lane 1, word 0, nibble 0 -> (0, 2) = 2
// RUN: qc-opt %s --qc-reference-pipeline | %mlir-run | FileCheck %s
// CHECK: [5,  7,  2,  0,  -1,  1,  -8,  0,  0]
func.func @main() {
  %b = arith.constant dense<"0x9D880F888788888888888888888888888A888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888"> : tensor<512xi8>
  %s = arith.constant dense<1.0> : tensor<f32>
  %q = qc.assemble packed %b, %s : !qc.qtensor<16x64, #qc.int<s4>, f32 #qc.per_tensor, layout #qc_nvvm.mma_fragments>
  %d = qc.dequantize %q : !qc.qtensor<16x64, #qc.int<s4>, f32 #qc.per_tensor, layout #qc_nvvm.mma_fragments> -> tensor<16x64xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c8 = arith.constant 8 : index
  %c15 = arith.constant 15 : index
  %c16 = arith.constant 16 : index
  %c63 = arith.constant 63 : index
  %e0 = tensor.extract %d[%c0, %c0] : tensor<16x64xf32>
  %e1 = tensor.extract %d[%c0, %c1] : tensor<16x64xf32>
  %e2 = tensor.extract %d[%c0, %c2] : tensor<16x64xf32>
  %e3 = tensor.extract %d[%c0, %c3] : tensor<16x64xf32>
  %e4 = tensor.extract %d[%c0, %c16] : tensor<16x64xf32>
  %e5 = tensor.extract %d[%c8, %c0] : tensor<16x64xf32>
  %e6 = tensor.extract %d[%c8, %c1] : tensor<16x64xf32>
  %e7 = tensor.extract %d[%c8, %c2] : tensor<16x64xf32>
  %e8 = tensor.extract %d[%c15, %c63] : tensor<16x64xf32>
  %v = tensor.from_elements %e0, %e1, %e2, %e3, %e4, %e5, %e6, %e7, %e8 : tensor<9xf32>
  %u = tensor.cast %v : tensor<9xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}
func.func private @printMemrefF32(tensor<*xf32>)
