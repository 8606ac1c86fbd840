// The two extensions of !qc.qtensor that llama.cpp's formats need, through
// the reference lowering, with values worked out by hand from
// x = (s * o) * q - m * mo:
// * Q4_K's shape (qc.assemble of run-time parts): u4 codes, ui6 scales
//   [3, 63] under the outer f16 0.5, ui6 mins [2, 1] under the outer f16
//   -0.25: block 0 is 1.5 * q + 0.5, block 1 is 31.5 * q + 0.25.
// * Q6_K's shape (qc.constant): s6 codes, si8 scales [-128, 127] under
//   0.125: -16 * [-32, 31] and 15.875 * [-1, 0].
// * Q4_1's (qc.constant): 0.5 * q - (-1.25).
// RUN: qc-opt %s --qc-reference-pipeline | %mlir-run | FileCheck %s
// CHECK: sizes = [1, 8]
// CHECK-NEXT: {{\[\[}}0.5, 2, 3.5, 5, 472.75, 441.25, 409.75, 378.25]]
// CHECK: sizes = [1, 4]
// CHECK-NEXT: {{\[\[}}512, -496, -15.875, 0]]
// CHECK: sizes = [1, 2]
// CHECK-NEXT: {{\[\[}}1.25, 8.75]]

!q4k = !qc.qtensor<1x8, #qc.int<u4>, ui6 #qc.per_block<[1, 4]>, outer f16 #qc.per_block<[1, 8]>, min ui6 outer f16>
!q6k = !qc.qtensor<1x4, #qc.int<s6>, si8 #qc.per_block<[1, 2]>, outer f16 #qc.per_block<[1, 4]>>
!q41 = !qc.qtensor<1x2, #qc.int<u4>, f16 #qc.per_block<[1, 2]>, min f16>

func.func private @printMemrefF32(tensor<*xf32>)

func.func @main() {
  %codes = arith.constant dense<[[0, 1, 2, 3, 15, 14, 13, 12]]> : tensor<1x8xi4>
  // 63 as the bit pattern of a 6-bit field is -1 when read signless.
  %s = arith.constant dense<[[3, -1]]> : tensor<1x2xi6>
  %d = arith.constant dense<[[0.5]]> : tensor<1x1xf16>
  %m = arith.constant dense<[[2, 1]]> : tensor<1x2xi6>
  %dmin = arith.constant dense<[[-0.25]]> : tensor<1x1xf16>
  %k = qc.assemble %codes, %s outer_scales %d mins %m outer_mins %dmin : !q4k
  %xk = qc.dequantize %k : !q4k -> tensor<1x8xf32>
  %uk = tensor.cast %xk : tensor<1x8xf32> to tensor<*xf32>
  call @printMemrefF32(%uk) : (tensor<*xf32>) -> ()

  %six = qc.constant codes(dense<[[-32, 31, -1, 0]]> : tensor<1x4xi6>)
                     scales(dense<[[-128, 127]]> : tensor<1x2xi8>)
                     outer_scales(dense<[[0.125]]> : tensor<1x1xf16>) : !q6k
  %x6 = qc.dequantize %six : !q6k -> tensor<1x4xf32>
  %u6 = tensor.cast %x6 : tensor<1x4xf32> to tensor<*xf32>
  call @printMemrefF32(%u6) : (tensor<*xf32>) -> ()

  %q41 = qc.constant codes(dense<[[0, -1]]> : tensor<1x2xi4>)
                     scales(dense<[[0.5]]> : tensor<1x1xf16>)
                     mins(dense<[[-1.25]]> : tensor<1x1xf16>) : !q41
  %x41 = qc.dequantize %q41 : !q41 -> tensor<1x2xf32>
  %u41 = tensor.cast %x41 : tensor<1x2xf32> to tensor<*xf32>
  call @printMemrefF32(%u41) : (tensor<*xf32>) -> ()
  return
}
